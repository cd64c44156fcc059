/** Connection failures are logged once per outage, and its end once (lib/db/database-outage.ts). */
import { afterEach, expect, it, vi } from 'vitest';
import { logDatabaseFailure, noteDatabaseReachable } from '@/lib/db/database-outage';
import { logger } from '@/lib/log/logger';

afterEach(() => {
  noteDatabaseReachable();
  vi.restoreAllMocks();
});

it('tells an outage once when it starts and once when it ends, and other errors every time', () => {
  const warn = vi.spyOn(logger, 'warn').mockImplementation(() => undefined);
  const refused = Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:5432'), { code: 'ECONNREFUSED' });
  for (let i = 0; i < 50; i++) logDatabaseFailure(refused, 'claiming deliveries failed');
  logDatabaseFailure(Object.assign(new Error('syntax error'), { code: '42601' }), 'claiming deliveries failed');
  noteDatabaseReachable();
  noteDatabaseReachable();
  expect(warn.mock.calls.map((call) => call[1])).toEqual([
    'claiming deliveries failed: the database is unreachable; retrying, quietly until it is back',
    'claiming deliveries failed',
    'the database is reachable again',
  ]);
  expect(warn.mock.calls[2]![0]).toMatchObject({ failuresNotLogged: 49 });
});
