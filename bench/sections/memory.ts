/**
 * Memory: the peak resident set (RSS) of the web tier (every web process, server.ts, plus the
 * Next.js process, next-server.ts: the sum of their peaks) over the whole run — ingest
 * load, the dashboard's million events — and of the worker (scripts/worker.ts) while it
 * delivered, from the sampler every run starts (bench/lib/memory.ts: VmRSS every second, and the
 * kernel's own high-water mark VmHWM, of the node process that runs the script, not tsx's CLI).
 * Runs last. Alone (BENCH_ONLY=memory), it starts the web process and gives it a light load
 * first; the worker is only measured when the delivery section ran.
 */
import { describeStatuses, runLoad } from '../lib/load';
import type { Section } from '../lib/section';

const TARGETS = { web: 500, worker: 300 } as const;

export const memory: Section = {
  id: 'memory',
  title: 'memory: peak RSS of the web process and the worker',
  rows: [
    { figure: 'memory.web_rss_mb', label: `web tier (server.ts processes + Next.js), peak RSS over the run (target ≤ ${TARGETS.web} MB)`, unit: 'MB' },
    { figure: 'memory.worker_rss_mb', label: `worker (scripts/worker.ts), peak RSS (target ≤ ${TARGETS.worker} MB)`, unit: 'MB' },
  ],
  async run(ctx) {
    const notes: string[] = [];
    const loaded = ctx.memory.processes().some((entry) => entry.role === 'web' && Object.keys(entry.bySectionMb).some((section) => section !== 'memory'));
    if (!loaded) {
      // No other section used the web process: give it some work so that the figure means something.
      const web = await ctx.web();
      const seconds = Math.min(ctx.durationSeconds, 10);
      const { measured } = await runLoad('memory: light load', {
        url: web.baseUrl,
        method: 'GET',
        path: '/api/health/live',
        connections: ctx.connections,
        warmupSeconds: 0,
        durationSeconds: seconds,
        expectStatus: 200,
      });
      notes.push(
        `memory: no other section loaded the web process; it got ${seconds} s of no-op requests only (${describeStatuses(measured)}), so its peak is a floor`,
      );
    }
    await ctx.memory.sampleNow();

    const processes = ctx.memory.processes();
    // The web tier is the web processes (server.ts: ingest, the proxy) and the Next.js process. The
    // figure is the sum of their peaks, which is at least their peak together.
    const fronts = processes.filter((entry) => entry.role === 'web').map((entry) => entry.peakMb);
    const front = fronts.length === 0 ? undefined : Math.round(fronts.reduce((sum, mb) => sum + mb, 0) * 10) / 10;
    const nextjs = ctx.memory.peakMb('dashboard');
    const web = front === undefined ? undefined : Math.round((front + (nextjs ?? 0)) * 10) / 10;
    if (front !== undefined) ctx.log(`memory: web = server.ts ${fronts.join(' + ')} MB + Next.js process ${nextjs ?? '(not seen)'} MB (peaks)`);
    const worker = ctx.memory.peakMb('worker');
    const figures: Record<string, number> = {};
    for (const [role, peak, target] of [
      ['web', web, TARGETS.web],
      ['worker', worker, TARGETS.worker],
    ] as const) {
      if (peak === undefined) {
        notes.push(`memory: no ${role} process ran${role === 'worker' ? ' (the delivery section starts one)' : ''}`);
        continue;
      }
      figures[`${role}_rss_mb`] = peak;
      const entries = processes.filter((p) => p.role === role || (role === 'web' && p.role === 'dashboard'));
      const line =
        `memory: ${role} peak RSS ${peak} MB (` +
        entries
          .map(
            (entry) =>
              `${entry.role} pid ${entry.pid}: highest sample ${entry.sampledPeakMb} MB during ${entry.peakDuring}, kernel high-water mark ${entry.hwmMb} MB, ${entry.samples} samples`,
          )
          .join('; ') +
        ')';
      ctx.log(line);
      notes.push(`${line}: ${peak <= target ? '≤' : '>'} target ${target} MB${peak <= target ? '' : ' — TARGET MISSED'}`);
    }
    return { figures: { memory: figures }, notes, meta: { processes } };
  },
};
