/** tests/support/api-server-main.ts as a child process: killable and restartable on the same port. */
import { type ChildProcess, spawn } from 'node:child_process';

export interface ApiServerProcess {
  url: string;
  port: number;
  child: ChildProcess;
  output: () => string;
  /** SIGKILL (a crash: no connection is closed cleanly) and wait for the exit. */
  kill(): Promise<void>;
}

export function startApiServerProcess(port = 0, timeoutMs = 60_000): Promise<ApiServerProcess> {
  // `node --import tsx` keeps it one process, so a SIGKILL leaves no child behind (worker-process.ts).
  const child = spawn(process.execPath, ['--import', 'tsx', 'tests/support/api-server-main.ts', String(port)], {
    cwd: process.cwd(),
    env: { ...process.env, LOG_LEVEL: 'warn' },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => (child.kill('SIGKILL'), reject(new Error(`the API server did not start; its output: ${output}`))), timeoutMs);
    child.on('exit', (code, signal) => reject(new Error(`the API server exited (${code ?? signal}) before listening; its output: ${output}`)));
    child.stderr!.on('data', (chunk: Buffer) => (output += chunk.toString()));
    child.stdout!.on('data', (chunk: Buffer) => {
      output += chunk.toString();
      const url = /listening (\S+)/.exec(output)?.[1];
      if (!url) return;
      clearTimeout(timer);
      resolve({
        url,
        port: Number(new URL(url).port),
        child,
        output: () => output,
        kill: () =>
          new Promise((done) => {
            if (child.exitCode !== null || child.signalCode !== null) return done();
            child.once('exit', () => done());
            child.kill('SIGKILL');
          }),
      });
    });
  });
}
