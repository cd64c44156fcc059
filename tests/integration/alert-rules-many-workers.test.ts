/**
 * Many workers, one evaluation per interval: every worker process ticks the alert rules, and
 * still a condition gives one alert and one queued notification per subscribed channel. Two real
 * worker processes (`scripts/worker.ts`) evaluate every 200 ms against one database; and two
 * evaluations started at the same instant on two separate connection pools run one and skip one.
 */
import postgres from 'postgres';
import { afterAll, afterEach, beforeAll, expect, it } from 'vitest';
import { runAlertRules } from '@/lib/alerts/rules/evaluate-alert-rules';
import { currentDatabaseUrl } from '@/lib/config/settings';
import { db } from '@/lib/db/prisma';
import { closeSql } from '@/lib/db/sql';
import { createTestSource } from '../support/fixtures';
import { waitFor } from '../support/sink';
import { startWorkerProcess, waitForRegistration, type WorkerProcess } from '../support/worker-process';

const workers: WorkerProcess[] = [];
let channelId: string;

beforeAll(async () => {
  channelId = (await db().notificationChannel.create({ data: { name: 'pager', type: 'email', to: ['pager@rules.test'] } })).id;
});

afterEach(async () => {
  await Promise.all(workers.splice(0).map((worker) => worker.stop()));
});

afterAll(async () => {
  await closeSql();
  await db().$disconnect();
});

/** A watched source that has been quiet for longer than expected: silent as soon as anyone looks. */
async function silentSource() {
  const { source } = await createTestSource({
    provider: 'none',
    data: { alertSettings: { expectedEvery: 10, expectedEverySince: new Date(Date.now() - 60_000).toISOString() } },
  });
  return source;
}

it('two worker processes evaluating every 200 ms give one alert and one notification', async () => {
  const source = await silentSource();
  const env = { HOOKYARD_ALERT_RULES_INTERVAL_MS: '200' };
  workers.push(startWorkerProcess(env), startWorkerProcess(env));
  const ids = await Promise.all(workers.map(async (worker) => (await waitForRegistration(worker)).id));

  const alert = await waitFor(() => db().alert.findFirst({ where: { sourceId: source.id, kind: 'source_silent' } }), 30_000, 'the source_silent alert');
  // Let both keep evaluating for a while, until each has run the evaluation at least once.
  const runners = new Set<string>();
  await waitFor(
    async () => {
      const run = await db().alertRuleRun.findUniqueOrThrow({ where: { name: 'alert-rules' } });
      if (run.ranBy) runners.add(run.ranBy);
      return runners.size === 2 && ids.every((id) => runners.has(id));
    },
    30_000,
    `both workers (${ids.join(', ')}) to have evaluated; seen ${[...runners].join(', ')}`,
  );
  await new Promise((resolve) => setTimeout(resolve, 1000));

  expect(await db().alert.findMany({ where: { sourceId: source.id } })).toMatchObject([
    { id: alert.id, kind: 'source_silent', status: 'open', details: { count: 1 } },
  ]);
  expect(await db().alertNotification.findMany({ where: { alertId: alert.id }, select: { channelId: true, event: true } })).toEqual([
    { channelId, event: 'raised' },
  ]);
  const run = await db().alertRuleRun.findUniqueOrThrow({ where: { name: 'alert-rules' } });
  expect(run.lastError).toBeNull();
}, 60_000);

it('two evaluations started at once on separate connections: one runs, the other skips its tick', async () => {
  const source = await silentSource();
  await db().alertRuleRun.update({ where: { name: 'alert-rules' }, data: { ranAt: new Date(0) } });
  const pools = [postgres(currentDatabaseUrl(), { max: 1, onnotice: () => undefined }), postgres(currentDatabaseUrl(), { max: 1, onnotice: () => undefined })];
  try {
    const reports = await Promise.all(pools.map((pool) => runAlertRules(pool, { intervalMs: 15_000 })));
    expect(reports.filter((report) => report.ran)).toHaveLength(1);
    expect(reports.find((report) => !report.ran)).toMatchObject({ reason: expect.stringMatching(/^(busy|recent)$/) });
    // A tick of either within the interval skips as recent.
    expect(await runAlertRules(pools[1]!, { intervalMs: 15_000 })).toEqual({ ran: false, reason: 'recent' });
  } finally {
    await Promise.all(pools.map((pool) => pool.end()));
  }
  const alerts = await db().alert.findMany({ where: { sourceId: source.id } });
  expect(alerts).toHaveLength(1);
  expect(await db().alertNotification.count({ where: { alertId: alerts[0]!.id } })).toBe(1);
});
