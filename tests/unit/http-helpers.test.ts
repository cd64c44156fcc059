import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { hasRole } from '@/lib/auth/roles';
import { resetSettingsForTests } from '@/lib/config/settings';
import { clientIp } from '@/lib/http/client-ip';
import { AppError, toErrorResponse } from '@/lib/http/errors';
import { parseArgs } from '@/scripts/cli-args';

describe('roles', () => {
  it('ranks ADMIN over SUPPORT over VIEWER', () => {
    expect(hasRole('ADMIN', 'SUPPORT')).toBe(true);
    expect(hasRole('SUPPORT', 'SUPPORT')).toBe(true);
    expect(hasRole('SUPPORT', 'ADMIN')).toBe(false);
    expect(hasRole('VIEWER', 'SUPPORT')).toBe(false);
  });
});

describe('clientIp', () => {
  it('uses the address the server stamped, not X-Forwarded-For, unless the proxy is trusted', () => {
    const headers = new Headers({ 'x-hookyard-client-ip': '::ffff:10.1.2.3', 'x-forwarded-for': '6.6.6.6, 10.0.0.1' });
    expect(clientIp(headers, false)).toBe('10.1.2.3');
    expect(clientIp(headers, true)).toBe('6.6.6.6');
    expect(clientIp(new Headers(), false)).toBeNull();
  });

  it.each(['1', 'true', 'yes', 'on', 'TRUE'])('reads HOOKYARD_TRUST_PROXY=%s as the configuration does: the proxy is trusted', (value) => {
    const headers = new Headers({ 'x-hookyard-client-ip': '10.1.2.3', 'x-forwarded-for': '6.6.6.6' });
    const before = process.env.HOOKYARD_TRUST_PROXY;
    try {
      process.env.HOOKYARD_TRUST_PROXY = value;
      resetSettingsForTests();
      expect(clientIp(headers)).toBe('6.6.6.6');
      process.env.HOOKYARD_TRUST_PROXY = 'off';
      resetSettingsForTests();
      expect(clientIp(headers)).toBe('10.1.2.3');
    } finally {
      if (before === undefined) delete process.env.HOOKYARD_TRUST_PROXY;
      else process.env.HOOKYARD_TRUST_PROXY = before;
      resetSettingsForTests();
    }
  });
});

describe('error mapping', () => {
  it('uses the contract error shape and statuses, and hides unknown errors', () => {
    expect(toErrorResponse(new AppError('not_found', 'Source not found'))).toMatchObject({
      status: 404,
      body: { error: { code: 'not_found', message: 'Source not found' } },
    });
    const zod = z.object({ name: z.string() }).safeParse({});
    expect(toErrorResponse(zod.error)).toMatchObject({ status: 422, body: { error: { code: 'invalid_input' } } });
    const internal = toErrorResponse(new Error('password=hunter2 at db.ts:12'));
    expect(internal.status).toBe(500);
    expect(JSON.stringify(internal.body)).not.toContain('hunter2');
  });
});

describe('parseArgs', () => {
  it('reads --name value and --name=value', () => {
    expect(parseArgs(['--email', 'a@b', '--role=ADMIN', '--flag'])).toEqual({ email: 'a@b', role: 'ADMIN', flag: 'true' });
  });
});
