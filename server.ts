/**
 * A Hookyard web process: a plain node:http server on PORT that answers `POST /api/ingest/*` on
 * the lean path (lib/ingest/node-ingest.ts) and the health checks itself, and proxies every other
 * request to the Next.js process (dashboard, JSON API, sign-in) on HOOKYARD_DASHBOARD_SOCKET.
 * The launcher (lib/supervisor/supervise-hookyard.ts) runs several of these as node:cluster
 * workers sharing the port, and the Next.js process beside them; ingest and /api/health keep
 * answering while the dashboard restarts, and its routes answer 503 with Retry-After meanwhile.
 *
 * The server stamps each request with the socket's address (x-hookyard-client-ip, overwriting
 * anything a client sent), and drains in-flight requests when it is stopped.
 */
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import { readConfig } from '@/lib/config/env';
import { checkAllSettings, readProcessSettings } from '@/lib/config/settings';
import { closeSql } from '@/lib/db/sql';
import { healthHttpStatus } from '@/lib/health/check-health';
import { readinessCheck } from '@/lib/health/readiness';
import { CLIENT_IP_HEADER } from '@/lib/http/client-ip';
import { probeSocket, proxyToSocket } from '@/lib/http/proxy';
import { flushIngestSideEffects } from '@/lib/ingest/flush-side-effects';
import { ingestSlug, serveIngest } from '@/lib/ingest/node-ingest';
import { logger } from '@/lib/log/logger';
import { isSupervisorStatusMessage, type SupervisorStatus } from '@/lib/supervisor/status';

const SHUTDOWN_GRACE_MS = 10_000;
const NO_STORE = { 'content-type': 'application/json', 'cache-control': 'no-store' };

function healthPath(req: IncomingMessage): 'live' | 'ready' | null {
  if (req.method !== 'GET' && req.method !== 'HEAD') return null;
  const path = (req.url ?? '').split('?')[0];
  return path === '/api/health/live' ? 'live' : path === '/api/health' ? 'ready' : null;
}

async function main() {
  checkAllSettings();
  const config = readConfig();
  const { dashboardSocket: socketPath, supervised } = readProcessSettings();
  if (!socketPath) throw new Error('server.ts runs under `npm start` or `npm run web`, which set HOOKYARD_DASHBOARD_SOCKET');
  const proxy = proxyToSocket(socketPath, { onError: (error) => logger.warn({ err: error }, 'the dashboard process did not answer') });

  let supervisor: SupervisorStatus | null = null;
  process.on('message', (message: unknown) => {
    if (isSupervisorStatusMessage(message)) supervisor = message.status;
  });
  const health = readinessCheck({ probeDashboard: () => probeSocket(socketPath, '/api/health/live'), supervisor: () => supervisor });
  const answerHealth = async (res: ServerResponse) => {
    const report = await health();
    const status = healthHttpStatus(report);
    res.writeHead(status, status === 503 ? { ...NO_STORE, 'retry-after': '5' } : NO_STORE);
    res.end(JSON.stringify(report));
  };

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
    const check = healthPath(req);
    if (check === 'live') {
      res.writeHead(200, NO_STORE);
      res.end('{"status":"ok"}');
    } else if (check === 'ready') {
      answerHealth(res).catch((error: unknown) => {
        logger.error({ err: error }, 'health check failed');
        res.writeHead(500, NO_STORE);
        res.end('{"status":"unavailable"}');
      });
    } else {
      proxy(req, res);
    }
  });
  server.keepAliveTimeout = 65_000;
  server.listen(config.port, () => logger.info({ port: config.port, pid: process.pid }, `Hookyard is listening on http://localhost:${config.port}`));

  let stopping = false;
  const stop = (reason: string, code = 0) => {
    if (stopping) return;
    stopping = true;
    logger.info({ reason }, 'stopping web server');
    const force = setTimeout(() => server.closeAllConnections(), SHUTDOWN_GRACE_MS).unref();
    server.close(() => {
      clearTimeout(force);
      proxy.close();
      void flushIngestSideEffects()
        .then(() => closeSql())
        .finally(() => process.exit(code));
    });
    server.closeIdleConnections();
  };
  // Under the launcher, Ctrl-C (which reaches the whole process group) is the launcher's to act
  // on: it stops the web processes first, with SIGTERM.
  process.on('SIGINT', () => (supervised ? undefined : stop('SIGINT')));
  process.on('SIGTERM', () => stop('SIGTERM'));
}

main().catch((error: unknown) => {
  console.error(error instanceof Error ? error.message : String(error));
  process.exit(1);
});
