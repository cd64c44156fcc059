/**
 * `npm run bench`: Hookyard's benchmark, self-contained (docs/performance.md). It builds when the
 * build is stale, starts a fresh database (embedded Postgres, or a new database on DATABASE_URL's
 * server) and the web process exactly as production runs it, runs the sections of
 * bench/sections/index.ts, prints a table of every figure beside its baselines, writes
 * bench/results.json (numbers only) and bench/results.meta.json, and stops everything it started:
 * at the end, on an error and on Ctrl-C (twice: at once).
 *
 *   BENCH_QUICK=1        5 s per measured section (after 5 s of warm-up) instead of 20 s (after 10 s)
 *   BENCH_ONLY=a,b       run only these sections (ids in bench/sections/)
 *   BENCH_DURATION=s, BENCH_WARMUP=s   override the lengths
 */
import { execFileSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import os from 'node:os';
import { disconnectDb } from '@/lib/db/prisma';
import { ensureBuild } from './lib/build';
import { createContext, StoppedError } from './lib/context';
import { type BenchDatabase, startDatabase } from './lib/database';
import { killAllProcessesNow, ROOT, stopAllProcesses } from './lib/processes';
import { renderTable, writeResults } from './lib/report';
import { type Figures, mergeFigures } from './lib/section';
import { sections as allSections } from './sections';

const CONNECTIONS = 32;

const log = (line: string) => console.log(`bench: ${line}`);
const errorText = (error: unknown) => (error instanceof Error ? error.message : String(error));

function flag(name: string): boolean {
  return /^(1|true|yes|on)$/i.test(process.env[name] ?? '');
}

function seconds(name: string, fallback: number): number {
  const raw = process.env[name];
  if (!raw) return fallback;
  const value = Number(raw);
  if (!Number.isFinite(value) || value < 0) throw new Error(`${name}: "${raw}" is not a number of seconds`);
  return value;
}

function git(args: string[]): string | null {
  try {
    return execFileSync('git', args, { cwd: ROOT, encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] }).trim();
  } catch {
    return null;
  }
}

let stopping = false;
let signals = 0;
function onSignal(signal: NodeJS.Signals) {
  signals++;
  if (signals > 1) {
    log(`${signal} again: killing everything now (an embedded Postgres may be left running; its temp dir is in ${os.tmpdir()})`);
    killAllProcessesNow();
    process.exit(130);
  }
  stopping = true;
  log(`${signal}: stopping everything (press Ctrl-C again to force)`);
  // The sections wait on child processes: ending those ends the waits.
  void stopAllProcesses(5_000);
}
process.on('SIGINT', onSignal);
process.on('SIGTERM', onSignal);
process.on('exit', () => killAllProcessesNow());

async function main(): Promise<number> {
  const startedAt = Date.now();
  const quick = flag('BENCH_QUICK');
  const durationSeconds = seconds('BENCH_DURATION', quick ? 5 : 20);
  // Next.js needs several seconds of load before its per-request cost settles (JIT): see docs/performance.md.
  const warmupSeconds = seconds('BENCH_WARMUP', quick ? 5 : 10);
  const only = (process.env.BENCH_ONLY ?? '')
    .split(',')
    .map((id) => id.trim())
    .filter(Boolean);
  const unknown = only.filter((id) => !allSections.some((section) => section.id === id));
  if (unknown.length > 0) throw new Error(`BENCH_ONLY: no section ${unknown.join(', ')} (there are ${allSections.map((s) => s.id).join(', ')})`);
  const sections = only.length > 0 ? allSections.filter((section) => only.includes(section.id)) : allSections;

  log(
    `${quick ? 'quick' : 'full'} run: ${sections.map((s) => s.id).join(', ')}; ` +
      `${warmupSeconds} s warm-up + ${durationSeconds} s measured each, ${CONNECTIONS} connections, ${os.cpus().length} CPUs`,
  );

  const masterKey = randomBytes(32).toString('base64');
  const authSecret = randomBytes(32).toString('base64url');
  const build = await ensureBuild({ ...process.env, HOOKYARD_MASTER_KEY: masterKey, AUTH_SECRET: authSecret }, log);
  log(build === 'current' ? 'the production build is current' : 'built');
  if (stopping) return 130;

  log(process.env.DATABASE_URL ? 'creating a fresh database on DATABASE_URL’s server' : 'starting an embedded Postgres in a fresh temp dir');
  const database: BenchDatabase = await startDatabase(log);
  log(`database: ${database.description}; migrations applied`);

  const figures: Figures = {};
  const problems: string[] = [];
  const notes: string[] = [];
  const sectionMeta: Record<string, unknown> = {};
  try {
    // This process writes configuration rows through Prisma (bench/lib/fixtures.ts).
    process.env.DATABASE_URL = database.url;
    process.env.HOOKYARD_MASTER_KEY = masterKey;
    process.env.AUTH_SECRET = authSecret;
    const hookyardEnv: NodeJS.ProcessEnv = {
      ...process.env,
      NODE_ENV: 'production',
      DATABASE_URL: database.url,
      HOOKYARD_MASTER_KEY: masterKey,
      AUTH_SECRET: authSecret,
      LOG_LEVEL: 'warn',
    };
    const ctx = createContext({
      quick,
      durationSeconds,
      warmupSeconds,
      connections: CONNECTIONS,
      database,
      hookyardEnv,
      log,
      isStopping: () => stopping,
    });
    try {
      for (const section of sections) {
        if (stopping) break;
        log(`— ${section.id}: ${section.title}`);
        ctx.memory.mark(section.id);
        const warnings = ctx.cpuWarnings.length;
        try {
          const result = await section.run(ctx);
          mergeFigures(figures, result.figures);
          problems.push(...(result.problems ?? []));
          notes.push(...(result.notes ?? []));
          if (result.meta) sectionMeta[section.id] = result.meta;
          for (const warning of ctx.cpuWarnings.slice(warnings)) {
            log(`WARNING: ${warning}`);
            notes.push(`${section.id}: ${warning}`);
          }
        } catch (error) {
          if (stopping || error instanceof StoppedError) break;
          problems.push(`${section.id} failed: ${errorText(error)}`);
          log(`${section.id} failed: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`);
        }
      }
    } finally {
      await ctx.dispose();
    }
  } finally {
    await disconnectDb().catch(() => undefined);
    await stopAllProcesses(5_000);
    log('stopping the database');
    await database.stop();
  }
  if (stopping) {
    log('stopped before the end; no results written');
    return 130;
  }

  console.log('');
  console.log(renderTable(sections, figures));
  console.log('');
  for (const note of notes) console.log(`note: ${note}`);
  for (const problem of problems) console.log(`PROBLEM: ${problem}`);

  const commit = git(['rev-parse', 'HEAD']);
  const dirty = (git(['status', '--porcelain']) ?? '') !== '';
  const tunables = Object.fromEntries(Object.entries(process.env).filter(([name]) => /^HOOKYARD_(INGEST|SQL|PRISMA|WORKER)_/.test(name)));
  const files = writeResults(ROOT, figures, {
    date: new Date().toISOString(),
    commit,
    uncommittedChanges: dirty,
    quick,
    sections: sections.map((section) => section.id),
    durationSeconds,
    warmupSeconds,
    connections: CONNECTIONS,
    cpus: os.cpus().length,
    cpuModel: os.cpus()[0]?.model ?? null,
    memoryMb: Math.round(os.totalmem() / 1024 / 1024),
    node: process.version,
    platform: `${os.platform()} ${os.release()}`,
    database: database.embedded ? 'embedded' : 'DATABASE_URL',
    postgresVersion: database.serverVersion,
    build,
    tunables,
    details: sectionMeta,
    notes,
    problems,
    runSeconds: Math.round((Date.now() - startedAt) / 1000),
  });
  log(`wrote ${files.results} and ${files.meta} (${Math.round((Date.now() - startedAt) / 1000)} s in all)`);
  return problems.length > 0 ? 1 : 0;
}

main().then(
  (code) => process.exit(code),
  async (error: unknown) => {
    if (stopping) log(`stopped (${errorText(error)})`);
    else console.error(`bench: ${errorText(error)}`);
    await stopAllProcesses(5_000).catch(() => undefined);
    process.exit(stopping ? 130 : 1);
  },
);
