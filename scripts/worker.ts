/**
 * `npm run worker`: a Hookyard worker process. It sends deliveries (lib/worker) and runs the
 * housekeeping tasks. Any number can run against one database. SIGINT/SIGTERM stop it
 * gracefully: it stops claiming, lets in-flight sends finish, records them, gives back the rest.
 */
import { purgeExpiredThrottles } from '@/lib/auth/purge-throttles';
import { ConfigError } from '@/lib/config/env';
import { checkAllSettings, readProcessSettings, tunables } from '@/lib/config/settings';
import { disconnectDb } from '@/lib/db/prisma';
import { closeSql, sql } from '@/lib/db/sql';
import { flushSpans } from '@/lib/tracing/spans';
import { DeliveryWorker } from '@/lib/worker/delivery-worker';
import { purgeStaleRateClaims } from '@/lib/worker/destination-rate-limits';
import { processBulkReplays } from '@/lib/replay/bulk-replay-runner';
import { RETENTION_INTERVAL_MS, runRetention } from '@/lib/worker/retention';
import { purgeGoneWorkers } from '@/lib/worker/worker-registry';
import { purgeRateWindows } from '@/lib/ingest/rate-limit';
import { logger } from '@/lib/log/logger';
import { every } from '@/lib/worker/periodic';
import { dispatchNotifications } from '@/lib/notifications/dispatch-notifications';
import { closeChannelDispatcher } from '@/lib/notifications/post-json';
import { closeEmailTransports } from '@/lib/notifications/send-email';
import { runAlertRules } from '@/lib/alerts/rules/evaluate-alert-rules';

async function main() {
  // Every setting, the tunables included, before anything starts: a typo stops here with one line.
  checkAllSettings();
  const worker = new DeliveryWorker(sql, tunables().worker);
  await worker.start();
  const tasks = [
    every('purge-auth-throttles', 10 * 60_000, async () => void (await purgeExpiredThrottles())),
    every('purge-rate-windows', 60_000, purgeRateWindows),
    every('purge-workers-and-rate-claims', 60_000, async () => void (await Promise.all([purgeGoneWorkers(sql()), purgeStaleRateClaims(sql())]))),
    // Bulk replays create their deliveries at each replay's rate (lib/replay/replay.ts).
    every('bulk-replays', 1000, async () => void (await processBulkReplays(sql()))),
    every('retention', RETENTION_INTERVAL_MS, async () => void (await runRetention(sql()))),
    // Alert notifications to Slack, email and webhooks (lib/notifications): a notification waits
    // 2 s to gather with its incident's others anyway, so a poll each second is all the wake-up it needs.
    every('notifications', 1000, async () => void (await dispatchNotifications(sql()))),
    // Once per interval across all workers (the first to tick evaluates; lib/alerts/rules/evaluate-alert-rules.ts).
    every('alert-rules', tunables().worker.alertRulesIntervalMs, async () => {
      await runAlertRules(sql(), { intervalMs: tunables().worker.alertRulesIntervalMs, runner: worker.id });
    }),
  ];
  logger.info({ pid: process.pid, worker: worker.id }, 'worker started');

  let stopping = false;
  const stop = async (signal: string) => {
    if (stopping) return;
    stopping = true;
    logger.info({ signal }, 'stopping worker');
    await worker.stop();
    await Promise.all(tasks.map((task) => task.stop()));
    await closeChannelDispatcher();
    closeEmailTransports();
    await flushSpans();
    await Promise.all([disconnectDb(), closeSql()]);
    process.exit(0);
  };
  // Under the launcher (npm start), Ctrl-C reaches the whole process group but is the launcher's
  // to act on: it stops this worker with SIGTERM once intake has drained. If the launcher itself
  // dies, the IPC channel closes, and the worker stops on its own.
  const { supervised } = readProcessSettings();
  process.on('SIGINT', () => void (supervised ? undefined : stop('SIGINT')));
  process.on('SIGTERM', () => void stop('SIGTERM'));
  process.on('disconnect', () => void stop('the launcher went away'));
}

main().catch((error: unknown) => {
  console.error(`hookyard worker: ${error instanceof ConfigError || error instanceof Error ? error.message : String(error)}`);
  process.exit(1);
});
