// The broker connection pool's rules (lib/transports/connection-pool.ts), with connections that
// are plain objects so that each rule is seen on its own: one connection per key shared by its
// sends, an open bounded by the timeout, a dead key never delaying another, backoff after a
// failed open, a lost connection replaced, idle ones closed.
import { describe, expect, it } from 'vitest';
import { ConnectionPool } from '@/lib/transports/connection-pool';

interface Conn {
  id: number;
  closed: boolean;
  lose?: () => void;
}

function pool(open: (url: string) => Promise<void> | void = () => undefined, idleMs = 60_000) {
  let next = 0;
  const opened: Conn[] = [];
  const p = new ConnectionPool<Conn>({
    name: 'test',
    idleMs,
    async open(url, _timeoutMs, onLost) {
      await open(url);
      const conn: Conn = { id: ++next, closed: false, lose: onLost };
      opened.push(conn);
      return conn;
    },
    async close(conn) {
      conn.closed = true;
    },
  });
  return { p, opened };
}

describe('ConnectionPool', () => {
  it('shares one connection per key among concurrent sends', async () => {
    const { p, opened } = pool();
    const ids = await Promise.all([1, 2, 3].map(() => p.withConnection('a', 'x://a', 1000, async (c) => c.id)));
    expect(ids).toEqual([1, 1, 1]);
    expect(opened).toHaveLength(1);
    await p.closeAll();
    expect(opened[0]!.closed).toBe(true);
  });

  it('bounds an open by the timeout, and a hanging broker does not delay another key', async () => {
    const { p } = pool((url) => (url === 'x://dead' ? new Promise<void>(() => undefined) : undefined));
    const dead = p.withConnection('dead', 'x://dead', 200, async () => 'never');
    const started = performance.now();
    expect(await p.withConnection('live', 'x://live', 200, async () => 'ok')).toBe('ok');
    expect(performance.now() - started).toBeLessThan(100);
    await expect(dead).rejects.toMatchObject({ code: 'TIMEOUT' });
    await p.closeAll();
  });

  it('fails at once during the backoff after a failed open, then tries again', async () => {
    let calls = 0;
    const { p } = pool(() => {
      calls++;
      if (calls === 1) throw Object.assign(new Error('refused'), { code: 'ECONNREFUSED' });
    });
    await expect(p.withConnection('a', 'x://a', 1000, async () => 1)).rejects.toMatchObject({ code: 'ECONNREFUSED' });
    await expect(p.withConnection('a', 'x://a', 1000, async () => 1)).rejects.toMatchObject({ code: 'ECONNREFUSED' });
    expect(calls).toBe(1);
    await new Promise((resolve) => setTimeout(resolve, 250));
    expect(await p.withConnection('a', 'x://a', 1000, async () => 2)).toBe(2);
    expect(calls).toBe(2);
    await p.closeAll();
  });

  it('replaces a lost connection on the next send, and closes idle ones', async () => {
    const { p, opened } = pool(undefined, 50);
    await p.withConnection('a', 'x://a', 1000, async () => undefined);
    opened[0]!.lose!();
    expect(await p.withConnection('a', 'x://a', 1000, async (c) => c.id)).toBe(2);
    expect(p.size).toBe(1);
    p.closeIdle(Date.now() + 100);
    expect(p.size).toBe(0);
    await new Promise((resolve) => setTimeout(resolve, 0));
    expect(opened.map((c) => c.closed)).toEqual([true, true]);
  });
});
