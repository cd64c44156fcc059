/**
 * Hookyard's web process: the Next.js app (dashboard, JSON API, ingest route handler) behind a
 * plain node:http server. The server stamps each request with the socket's address
 * (x-hookyard-client-ip, overwriting anything a client sent), answers `POST /api/ingest/*` on the
 * lean path (lib/ingest/node-ingest.ts) and drains in-flight requests on SIGINT/SIGTERM.
 */
import { createServer } from 'node:http';
import next from 'next';
import { readConfig } from '@/lib/config/env';
import { disconnectDb } from '@/lib/db/prisma';
import { closeSql } from '@/lib/db/sql';
import { CLIENT_IP_HEADER } from '@/lib/http/client-ip';
import { flushIngestSideEffects } from '@/lib/ingest/flush-side-effects';
import { ingestSlug, serveIngest } from '@/lib/ingest/node-ingest';
import { logger } from '@/lib/log/logger';

const SHUTDOWN_GRACE_MS = 10_000;

async function main() {
  const config = readConfig();
  process.env.NEXTAUTH_URL ??= config.publicUrl ?? `http://localhost:${config.port}`;
  const app = next({ dev: false, dir: process.cwd(), port: config.port });
  const handle = app.getRequestHandler();
  await app.prepare();

  const server = createServer((req, res) => {
    req.headers[CLIENT_IP_HEADER] = req.socket.remoteAddress ?? '';
    const slug = req.method === 'POST' ? ingestSlug(req) : null;
    if (slug !== null) {
      serveIngest(req, res, slug).catch((error: unknown) => {
        logger.error({ err: error }, 'ingest failed');
        if (!res.headersSent) res.writeHead(500, { 'content-type': 'application/json' });
        res.end('{"error":{"code":"internal","message":"Something went wrong on our side"}}');
      });
      return;
    }
    void handle(req, res);
  });
  server.keepAliveTimeout = 65_000;
  server.listen(config.port, () => logger.info({ port: config.port }, `Hookyard is listening on http://localhost:${config.port}`));

  let stopping = false;
  const stop = (signal: string) => {
    if (stopping) return;
    stopping = true;
    logger.info({ signal }, 'stopping web server');
    const force = setTimeout(() => server.closeAllConnections(), SHUTDOWN_GRACE_MS).unref();
    server.close(() => {
      clearTimeout(force);
      void flushIngestSideEffects()
        .then(() => Promise.all([disconnectDb(), closeSql()]))
        .finally(() => process.exit(0));
    });
    server.closeIdleConnections();
  };
  process.on('SIGINT', () => stop('SIGINT'));
  process.on('SIGTERM', () => stop('SIGTERM'));
}

main().catch((error: unknown) => {
  console.error(error instanceof Error ? error.message : String(error));
  process.exit(1);
});
