/**
 * The Next.js process behind server.ts (lib/web/dashboard-process.ts), with a stand-in for
 * next-server.ts (tests/support/fake-dashboard.mjs): start-up, the private socket, stopping, and
 * a child that dies.
 */
import { existsSync, statSync } from 'node:fs';
import { request } from 'node:http';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { DEFAULT_HEAP_MB } from '@/lib/config/heap-limit';
import { startDashboardProcess } from '@/lib/web/dashboard-process';

const FAKE = path.join(process.cwd(), 'tests/support/fake-dashboard.mjs');
const env = (mode: string) => ({ ...process.env, FAKE_DASHBOARD: mode, HOOKYARD_DASHBOARD_SOCKET: undefined });

function get(socketPath: string): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    const req = request({ socketPath, path: '/' }, (res) => {
      let body = '';
      res.on('data', (chunk: Buffer) => (body += chunk.toString()));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body }));
    });
    req.on('error', reject);
    req.end();
  });
}

describe('startDashboardProcess', () => {
  it('starts the child on a socket only this user can reach, with its own role and heap cap, and stops it', async () => {
    const dashboard = await startDashboardProcess(FAKE, env('ok'));
    const dir = path.dirname(dashboard.socketPath);
    expect(statSync(dir).mode & 0o777).toBe(0o700);
    const answer = await get(dashboard.socketPath);
    expect(answer.status).toBe(200);
    const started = JSON.parse(answer.body) as { role: string; execArgv: string[]; connected: boolean };
    expect(started.role).toBe('dashboard');
    expect(started.execArgv).toContain(`--max-old-space-size=${DEFAULT_HEAP_MB.dashboard}`);
    expect(started.connected).toBe(true);

    await dashboard.stop();
    expect(dashboard.child.exitCode).toBe(0);
    await expect(dashboard.exited).resolves.toBe('code 0');
    expect(existsSync(dir)).toBe(false);
  });

  it('fails with the reason when the child exits before it is ready', async () => {
    await expect(startDashboardProcess(FAKE, env('fail-start'))).rejects.toThrow('the dashboard process exited during start-up (code 2)');
  });

  it('tells when the child dies on its own', async () => {
    const dashboard = await startDashboardProcess(FAKE, env('crash'));
    await get(dashboard.socketPath).catch(() => undefined); // the stand-in exits on its first request
    await expect(dashboard.exited).resolves.toBe('code 3');
    await dashboard.stop();
    expect(existsSync(path.dirname(dashboard.socketPath))).toBe(false);
  });
});
