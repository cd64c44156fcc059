/**
 * The sign-in lockout rules (docs/auth.md, lib/auth/login-throttle.ts): failures lock one
 * account from one address, or one account from everywhere after many more, but never an
 * address: behind a NAT one person typing wrong passwords, or an attacker, must not lock the
 * whole team out, admins included. Waits are injected and recorded, so no test sleeps.
 */
import { spawn } from 'node:child_process';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import {
  accountKey,
  ACCOUNT_LOCK_AFTER_FAILURES,
  addressKey,
  checkThrottle,
  MAX_DELAY_MS,
  PAIR_LOCK_AFTER_FAILURES,
  pairKey,
  recordFailure,
  throttleKeys,
} from '@/lib/auth/login-throttle';
import { authorizeCredentials, LOCKED_ERROR } from '@/lib/auth/options';
import { clearSignInLocks, listSignInLocks } from '@/lib/auth/sign-in-locks';
import { db } from '@/lib/db/prisma';
import { createUser } from '@/lib/users/manage-users';

const headersFrom = (ip: string) => ({ 'x-hookyard-client-ip': ip });

/** Signs in with the waits recorded instead of slept. */
async function attempt(email: string, password: string, ip: string, waits: number[] = []) {
  return authorizeCredentials({ email, password }, headersFrom(ip), { wait: async (ms) => void waits.push(ms) });
}

async function row(key: string) {
  return db().authThrottle.findUnique({ where: { key } });
}

describe('sign-in lockout', () => {
  it('slows, then locks one account from one address; the same account from another address still signs in', async () => {
    await createUser({ email: 'bob@example.com', role: 'VIEWER', password: 'the right password' }, 'system');
    const waits: number[] = [];
    for (let i = 0; i < PAIR_LOCK_AFTER_FAILURES; i++) expect(await attempt('bob@example.com', 'wrong', '10.9.9.9', waits)).toBeNull();
    // From the 3rd failure on each attempt waited, doubling up to the cap.
    expect(waits.slice(0, 5)).toEqual([1000, 2000, 4000, 8000, 8000]);
    expect(Math.max(...waits)).toBe(MAX_DELAY_MS);

    await expect(attempt('bob@example.com', 'the right password', '10.9.9.9')).rejects.toThrow(LOCKED_ERROR);
    expect((await row(pairKey('bob@example.com', '10.9.9.9')))?.lockedUntil).not.toBeNull();
    expect((await row(accountKey('bob@example.com')))?.lockedUntil).toBeNull();
    // The account itself is not locked by one address: Bob, at home, signs in (slowed, not refused).
    const homeWaits: number[] = [];
    expect((await attempt('bob@example.com', 'the right password', '192.0.2.10', homeWaits))?.email).toBe('bob@example.com');
    expect(homeWaits.every((ms) => ms <= MAX_DELAY_MS)).toBe(true);
  });

  it('locks an account from every address after many failures spread over addresses', async () => {
    await createUser({ email: 'carol@example.com', role: 'VIEWER', password: 'the right password' }, 'system');
    const now = new Date();
    const perAddress = PAIR_LOCK_AFTER_FAILURES - 1;
    for (let i = 0; i * perAddress < ACCOUNT_LOCK_AFTER_FAILURES; i++) {
      for (let j = 0; j < perAddress && i * perAddress + j < ACCOUNT_LOCK_AFTER_FAILURES; j++)
        await recordFailure(throttleKeys(`10.5.0.${i}`, 'carol@example.com'), now);
    }
    // No pair reached its own lock, yet the account did.
    expect((await row(pairKey('carol@example.com', '10.5.0.0')))?.lockedUntil).toBeNull();
    expect((await row(accountKey('carol@example.com')))?.failures).toBe(ACCOUNT_LOCK_AFTER_FAILURES);
    await expect(attempt('carol@example.com', 'the right password', '198.51.100.7')).rejects.toThrow(LOCKED_ERROR);
  });

  it('never locks an address: the admin can still sign in while an address is throttled by many failures for many accounts', async () => {
    await createUser({ email: 'admin@example.com', role: 'ADMIN', password: 'admin password 123' }, 'system');
    const office = '10.7.7.7';
    const now = new Date();
    // Colleagues behind the same NAT (or an attacker among them) fail 40 times over 20 accounts.
    for (let i = 0; i < 40; i++) await recordFailure(throttleKeys(office, `colleague${i % 20}@example.com`), now);
    // A lock on the address written by the old policy is ignored too.
    await db().authThrottle.update({ where: { key: addressKey(office) }, data: { lockedUntil: new Date(now.getTime() + 15 * 60_000) } });
    expect((await row(addressKey(office)))?.failures).toBe(40);
    const state = await checkThrottle(throttleKeys(office, 'admin@example.com'), now);
    expect(state.lockedUntil).toBeNull();
    expect(state.delayMs).toBe(MAX_DELAY_MS);

    const waits: number[] = [];
    const admin = await attempt('admin@example.com', 'admin password 123', office, waits);
    expect(admin?.email).toBe('admin@example.com');
    // Slowed by the address, once, by at most the cap.
    expect(waits).toEqual([MAX_DELAY_MS]);
  });

  it("a successful sign-in clears the account's and the account+address's counters, not the address's", async () => {
    await createUser({ email: 'dora@example.com', role: 'ADMIN', password: 'dora password 123' }, 'system');
    for (let i = 0; i < 5; i++) await attempt('dora@example.com', 'typo', '10.3.3.3');
    expect((await row(accountKey('dora@example.com')))?.failures).toBe(5);
    expect((await row(pairKey('dora@example.com', '10.3.3.3')))?.failures).toBe(5);

    expect((await attempt('dora@example.com', 'dora password 123', '10.3.3.3'))?.email).toBe('dora@example.com');
    expect(await row(accountKey('dora@example.com'))).toBeNull();
    expect(await row(pairKey('dora@example.com', '10.3.3.3'))).toBeNull();
    // The address's own count stays: others' failures from it are not forgiven by one success.
    expect((await row(addressKey('10.3.3.3')))?.failures).toBeGreaterThanOrEqual(5);
  });

  it('lists locks and counters, and clears them by key, account or address, audited', async () => {
    await db().authThrottle.deleteMany();
    const now = new Date();
    for (let i = 0; i < PAIR_LOCK_AFTER_FAILURES; i++) await recordFailure(throttleKeys('10.8.8.8', 'eve@example.com'), now);
    await recordFailure(throttleKeys('10.8.8.9', 'eve@example.com'), now);
    await recordFailure(throttleKeys('10.8.8.8', 'frank@example.com'), now);

    const locks = await listSignInLocks();
    expect(locks[0]).toMatchObject({ kind: 'account+address', email: 'eve@example.com', ip: '10.8.8.8', failures: PAIR_LOCK_AFTER_FAILURES });
    expect(locks[0]!.lockedUntil!.getTime()).toBeGreaterThan(Date.now());
    expect(locks.filter((lock) => lock.lockedUntil)).toHaveLength(1);
    expect(locks.find((lock) => lock.kind === 'address' && lock.ip === '10.8.8.8')).toMatchObject({
      failures: PAIR_LOCK_AFTER_FAILURES + 1,
      lockedUntil: null,
    });

    const byKey = await clearSignInLocks({ key: pairKey('eve@example.com', '10.8.8.8') }, 'system', '127.0.0.1');
    expect(byKey.map((lock) => lock.key)).toEqual([pairKey('eve@example.com', '10.8.8.8')]);
    const byAccount = await clearSignInLocks({ email: 'EVE@example.com' }, 'system');
    expect(byAccount.map((lock) => lock.key).sort()).toEqual([accountKey('eve@example.com'), pairKey('eve@example.com', '10.8.8.9')].sort());
    const byAddress = await clearSignInLocks({ ip: '10.8.8.8' }, 'system');
    expect(byAddress.map((lock) => lock.key).sort()).toEqual([addressKey('10.8.8.8'), pairKey('frank@example.com', '10.8.8.8')].sort());
    expect((await listSignInLocks()).map((lock) => lock.key).sort()).toEqual([accountKey('frank@example.com'), addressKey('10.8.8.9')].sort());

    const audit = await db().auditLog.findMany({ where: { action: 'sign_in_lock.clear' }, orderBy: { createdAt: 'asc' } });
    expect(audit).toHaveLength(5);
    expect(audit[0]).toMatchObject({
      actorLabel: 'system',
      targetId: pairKey('eve@example.com', '10.8.8.8'),
      ip: '127.0.0.1',
      before: expect.objectContaining({ failures: PAIR_LOCK_AFTER_FAILURES }),
    });
  });

  it('npm run user:unlock clears from the shell and prints what it cleared', async () => {
    await db().authThrottle.deleteMany();
    const now = new Date();
    for (let i = 0; i < PAIR_LOCK_AFTER_FAILURES; i++) await recordFailure(throttleKeys('10.6.6.6', 'gina@example.com'), now);
    await recordFailure(throttleKeys('10.6.6.7', 'hal@example.com'), now);

    const byEmail = await runUnlock(['--email', 'gina@example.com']);
    expect(byEmail.code).toBe(0);
    expect(byEmail.stdout).toContain(`cleared ${pairKey('gina@example.com', '10.6.6.6')} (${PAIR_LOCK_AFTER_FAILURES} failures, locked until`);
    expect(byEmail.stdout).toContain(`cleared ${accountKey('gina@example.com')}`);
    expect(await row(pairKey('gina@example.com', '10.6.6.6'))).toBeNull();
    expect(await row(addressKey('10.6.6.6'))).not.toBeNull();

    const byIp = await runUnlock(['--ip', '10.6.6.6']);
    expect(byIp.stdout).toContain(`cleared ${addressKey('10.6.6.6')}`);
    const all = await runUnlock(['--all']);
    expect(all.stdout).toContain(`cleared ${accountKey('hal@example.com')}`);
    expect(await db().authThrottle.count()).toBe(0);
    expect((await runUnlock(['--all'])).stdout).toContain('nothing to clear');

    const usage = await runUnlock([]);
    expect(usage.code).toBe(2);
    expect(usage.stderr).toContain('usage: npm run user:unlock');
  });
});

function runUnlock(args: string[]): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [path.join(process.cwd(), 'node_modules/tsx/dist/cli.mjs'), 'scripts/user-unlock.ts', ...args], {
      cwd: process.cwd(),
      env: { ...process.env, LOG_LEVEL: 'warn' },
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    child.on('error', reject);
    child.on('exit', (code) => resolve({ code, stdout, stderr }));
  });
}
