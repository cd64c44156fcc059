import { describe, expect, it } from 'vitest';
import { delayForFailures, keysClearedBySuccess, MAX_DELAY_MS, parseThrottleKey, throttleKeys } from '@/lib/auth/login-throttle';

describe('sign-in throttle keys', () => {
  it('name the account, the account from the address and the address, and parse back (IPv6 included)', () => {
    const keys = throttleKeys('2001:db8::1', ' Jane@Example.com');
    expect(keys).toEqual(['email:jane@example.com', 'email+ip:jane@example.com|2001:db8::1', 'ip:2001:db8::1']);
    expect(keys.map(parseThrottleKey)).toEqual([
      { kind: 'account', email: 'jane@example.com', ip: null },
      { kind: 'account+address', email: 'jane@example.com', ip: '2001:db8::1' },
      { kind: 'address', email: null, ip: '2001:db8::1' },
    ]);
    expect(parseThrottleKey('something:else')).toBeNull();
  });

  it('a success clears the account keys, never the address', () => {
    expect(keysClearedBySuccess('10.0.0.1', 'jane@example.com')).toEqual(['email:jane@example.com', 'email+ip:jane@example.com|10.0.0.1']);
    expect(keysClearedBySuccess(null, 'jane@example.com')).toEqual(['email:jane@example.com']);
  });

  it('slows from the 3rd failure, doubling up to the cap', () => {
    expect([1, 2, 3, 4, 5, 6, 50].map((failures) => delayForFailures(failures))).toEqual([0, 0, 1000, 2000, 4000, 8000, MAX_DELAY_MS]);
    expect(delayForFailures(50, 0)).toBe(0);
  });
});
