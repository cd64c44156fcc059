/**
 * Hookyard's dashboard process: the Next.js app (dashboard, JSON API, sign-in, and the ingest
 * route handler for requests that reach it) on a private Unix socket. server.ts starts it, proxies
 * every request but `POST /api/ingest/*` to it, and tells it when to stop
 * (lib/web/dashboard-process.ts). The client-address header comes from server.ts, which
 * overwrites whatever a client sent.
 */
import { rmSync } from 'node:fs';
import { createServer } from 'node:http';
import next from 'next';
import { readConfig } from '@/lib/config/env';
import { checkAllSettings, readProcessSettings } from '@/lib/config/settings';
import { disconnectDb } from '@/lib/db/prisma';
import { closeSql } from '@/lib/db/sql';
import { eventStreamHub } from '@/lib/events/stream/event-stream-hub';
import { logger } from '@/lib/log/logger';
import type { DashboardMessage } from '@/lib/web/dashboard-process';

const SHUTDOWN_GRACE_MS = 10_000;

async function main() {
  checkAllSettings();
  const socketPath = readProcessSettings().dashboardSocket;
  if (!socketPath || !process.send) throw new Error('next-server.ts is started by server.ts (HOOKYARD_DASHBOARD_SOCKET and an IPC channel are missing)');
  const config = readConfig();
  const app = next({ dev: false, dir: process.cwd(), port: config.port });
  const handle = app.getRequestHandler();
  await app.prepare();

  const server = createServer((req, res) => void handle(req, res));
  server.keepAliveTimeout = 65_000;
  rmSync(socketPath, { force: true }); // left by a process that was killed
  server.listen(socketPath, () => process.send?.({ type: 'ready' } satisfies DashboardMessage));

  let stopping = false;
  const stop = () => {
    if (stopping) return;
    stopping = true;
    const force = setTimeout(() => server.closeAllConnections(), SHUTDOWN_GRACE_MS).unref();
    // Open event streams never finish by themselves: end them, so that the server can close.
    eventStreamHub().closeAll();
    server.close(() => {
      clearTimeout(force);
      void Promise.all([disconnectDb(), closeSql()]).finally(() => process.exit(0));
    });
    server.closeIdleConnections();
  };
  process.on('message', (message: DashboardMessage) => {
    if (message?.type === 'stop') stop();
  });
  process.on('disconnect', stop); // server.ts went away
  // Ctrl-C reaches the whole process group: server.ts decides when this process stops, once the
  // requests it proxies have drained. Alone (no parent), a signal stops it.
  for (const signal of ['SIGINT', 'SIGTERM'] as const) {
    process.on(signal, () => {
      if (!process.connected) stop();
    });
  }
}

main().catch((error: unknown) => {
  logger.error({ err: error }, 'the dashboard process failed to start');
  process.exit(1);
});
