/**
 * Hookyard's web process: a plain node:http server on PORT that answers `POST /api/ingest/*` on
 * the lean path (lib/ingest/node-ingest.ts) and proxies every other request to the Next.js app
 * (dashboard, JSON API, sign-in), which runs in a child process of its own (next-server.ts, see
 * lib/web/dashboard-process.ts for why). The server stamps each request with the socket's address
 * (x-hookyard-client-ip, overwriting anything a client sent) before either, and drains in-flight
 * requests on SIGINT/SIGTERM, then stops the Next.js process.
 */
import { createServer } from 'node:http';
import path from 'node:path';
import { readConfig } from '@/lib/config/env';
import { disconnectDb } from '@/lib/db/prisma';
import { closeSql } from '@/lib/db/sql';
import { CLIENT_IP_HEADER } from '@/lib/http/client-ip';
import { proxyToSocket } from '@/lib/http/proxy';
import { flushIngestSideEffects } from '@/lib/ingest/flush-side-effects';
import { ingestSlug, serveIngest } from '@/lib/ingest/node-ingest';
import { logger } from '@/lib/log/logger';
import { startDashboardProcess } from '@/lib/web/dashboard-process';

const SHUTDOWN_GRACE_MS = 10_000;

async function main() {
  const config = readConfig();
  process.env.NEXTAUTH_URL ??= config.publicUrl ?? `http://localhost:${config.port}`;
  const dashboard = await startDashboardProcess(path.join(process.cwd(), 'next-server.ts'));
  const proxy = proxyToSocket(dashboard.socketPath, { onError: (error) => logger.warn({ err: error }, 'the dashboard process did not answer') });

  const server = createServer((req, res) => {
    req.headers[CLIENT_IP_HEADER] = req.socket.remoteAddress ?? '';
    const slug = req.method === 'POST' ? ingestSlug(req) : null;
    if (slug === null) {
      proxy(req, res);
      return;
    }
    serveIngest(req, res, slug).catch((error: unknown) => {
      logger.error({ err: error }, 'ingest failed');
      if (!res.headersSent) res.writeHead(500, { 'content-type': 'application/json' });
      res.end('{"error":{"code":"internal","message":"Something went wrong on our side"}}');
    });
  });
  server.keepAliveTimeout = 65_000;
  server.listen(config.port, () => logger.info({ port: config.port }, `Hookyard is listening on http://localhost:${config.port}`));

  let stopping = false;
  const stop = (reason: string, code = 0) => {
    if (stopping) return;
    stopping = true;
    logger.info({ reason }, 'stopping web server');
    const force = setTimeout(() => server.closeAllConnections(), SHUTDOWN_GRACE_MS).unref();
    server.close(() => {
      clearTimeout(force);
      proxy.close();
      void dashboard
        .stop()
        .then(() => flushIngestSideEffects())
        .then(() => Promise.all([disconnectDb(), closeSql()]))
        .finally(() => process.exit(code));
    });
    server.closeIdleConnections();
  };
  dashboard.onUnexpectedExit((how) => {
    logger.error({ exit: how }, 'the dashboard process exited; stopping');
    stop('the dashboard process exited', 1);
  });
  process.on('SIGINT', () => stop('SIGINT'));
  process.on('SIGTERM', () => stop('SIGTERM'));
}

main().catch((error: unknown) => {
  console.error(error instanceof Error ? error.message : String(error));
  process.exit(1);
});
