/**
 * `npm run worker`: a Hookyard worker process. Any number can run against one database.
 * SIGINT/SIGTERM stop it gracefully: it stops taking work, finishes what is in flight, exits.
 */
import { purgeExpiredThrottles } from '@/lib/auth/purge-throttles';
import { ConfigError, readConfig } from '@/lib/config/env';
import { disconnectDb } from '@/lib/db/prisma';
import { logger } from '@/lib/log/logger';
import { every } from '@/lib/worker/periodic';

async function main() {
  readConfig();
  const tasks = [every('purge-auth-throttles', 10 * 60_000, async () => void (await purgeExpiredThrottles()))];
  logger.info({ pid: process.pid }, 'worker started');

  let stopping = false;
  const stop = async (signal: string) => {
    if (stopping) return;
    stopping = true;
    logger.info({ signal }, 'stopping worker');
    await Promise.all(tasks.map((task) => task.stop()));
    await disconnectDb();
    process.exit(0);
  };
  process.on('SIGINT', () => void stop('SIGINT'));
  process.on('SIGTERM', () => void stop('SIGTERM'));
}

main().catch((error: unknown) => {
  console.error(`hookyard worker: ${error instanceof ConfigError || error instanceof Error ? error.message : String(error)}`);
  process.exit(1);
});
