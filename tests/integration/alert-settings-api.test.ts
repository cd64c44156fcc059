/**
 * `alertSettings` through the JSON API (SPEC "Alerts and notifications"): GET answers carry the
 * effective settings with their defaults, PATCH merges per rule and is audited, bad values are a
 * 422 naming the field, and only ADMIN may change them.
 */
import { randomBytes } from 'node:crypto';
import { beforeAll, describe, expect, it } from 'vitest';
import { GET as getDestination, PATCH as patchDestination } from '@/app/api/v1/destinations/[id]/route';
import { POST as createDestination } from '@/app/api/v1/destinations/route';
import { GET as getSource, PATCH as patchSource } from '@/app/api/v1/sources/[id]/route';
import { POST as createSource } from '@/app/api/v1/sources/route';
import { issueApiKey } from '@/lib/auth/manage-api-keys';
import { db } from '@/lib/db/prisma';

process.env.HOOKYARD_MASTER_KEY ??= randomBytes(32).toString('base64');
process.env.AUTH_SECRET ??= randomBytes(32).toString('base64');

type Handler = (request: Request, segment?: { params: Promise<any> }) => Promise<Response>;

async function call(handler: Handler, options: { key: string; method?: string; body?: unknown; id?: string }) {
  const headers = new Headers({ 'content-type': 'application/json', authorization: `Bearer ${options.key}` });
  const body = options.body === undefined ? undefined : typeof options.body === 'string' ? options.body : JSON.stringify(options.body);
  const request = new Request('http://localhost/api/v1/x', { method: options.method ?? 'GET', headers, body });
  const response = await handler(request, options.id === undefined ? undefined : { params: Promise.resolve({ id: options.id }) });
  const text = await response.text();
  return { status: response.status, body: (text ? JSON.parse(text) : null) as any };
}

let admin: string;
let support: string;
let viewer: string;

beforeAll(async () => {
  admin = (await issueApiKey({ name: 'admin', role: 'ADMIN' }, 'system')).key;
  support = (await issueApiKey({ name: 'support', role: 'SUPPORT' }, 'system')).key;
  viewer = (await issueApiKey({ name: 'viewer', role: 'VIEWER' }, 'system')).key;
});

const DESTINATION_DEFAULTS = {
  failureRate: { enabled: true, threshold: 0.5, windowSeconds: 300, minAttempts: 20 },
  backlogAge: { enabled: true, thresholdSeconds: 900 },
};
const SOURCE_DEFAULTS = { expectedEvery: null, rejectionSpike: { enabled: true, threshold: 20, windowSeconds: 300 } };

describe('a destination’s alertSettings', () => {
  it('answers the defaults, merges a PATCH per rule, resets a rule given as null, and audits each change', async () => {
    const created = await call(createDestination, { key: admin, method: 'POST', body: { name: 'Alerting target', url: 'http://127.0.0.1:9/a' } });
    expect(created.status).toBe(201);
    expect(created.body.alertSettings).toEqual(DESTINATION_DEFAULTS);
    const id = created.body.id as string;
    expect((await call(getDestination, { key: viewer, id })).body.alertSettings).toEqual(DESTINATION_DEFAULTS);

    const patched = await call(patchDestination, {
      key: admin,
      id,
      method: 'PATCH',
      body: { alertSettings: { failureRate: { threshold: 0.25 }, backlogAge: { enabled: false } } },
    });
    expect(patched.status).toBe(200);
    expect(patched.body.alertSettings).toEqual({
      failureRate: { ...DESTINATION_DEFAULTS.failureRate, threshold: 0.25 },
      backlogAge: { enabled: false, thresholdSeconds: 900 },
    });
    // Another field of the same rule keeps the first.
    const again = await call(patchDestination, { key: admin, id, method: 'PATCH', body: { alertSettings: { failureRate: { minAttempts: 50 } } } });
    expect(again.body.alertSettings.failureRate).toEqual({ ...DESTINATION_DEFAULTS.failureRate, threshold: 0.25, minAttempts: 50 });
    expect(again.body.alertSettings.backlogAge.enabled).toBe(false);
    const reset = await call(patchDestination, { key: admin, id, method: 'PATCH', body: { alertSettings: { failureRate: null } } });
    expect(reset.body.alertSettings).toEqual({ ...DESTINATION_DEFAULTS, backlogAge: { enabled: false, thresholdSeconds: 900 } });
    // Only the overrides are stored.
    expect((await db().destination.findUniqueOrThrow({ where: { id } })).alertSettings).toEqual({ backlogAge: { enabled: false } });

    const audits = await db().auditLog.findMany({ where: { targetId: id, action: 'destination.update' }, orderBy: { createdAt: 'asc' } });
    expect(audits).toHaveLength(3);
    expect(audits[0]).toMatchObject({
      before: { alertSettings: {} },
      after: { alertSettings: { failureRate: { threshold: 0.25 }, backlogAge: { enabled: false } } },
    });
  });

  it('refuses bad values with a 422 that names the field, and a body that is not JSON with a 400', async () => {
    const id = (await call(createDestination, { key: admin, method: 'POST', body: { name: 'Validated', url: 'http://127.0.0.1:9/v' } })).body.id as string;
    const cases: [unknown, string][] = [
      [{ failureRate: { threshold: 1.5 } }, 'alertSettings.failureRate.threshold: At most 1 (100% of attempts failed)'],
      [{ failureRate: { threshold: 0 } }, 'alertSettings.failureRate.threshold: More than 0 (0.5 means 50% of attempts failed)'],
      [{ failureRate: { threshold: '50%' } }, 'alertSettings.failureRate.threshold: A share between 0 and 1, e.g. 0.5 for 50%'],
      [
        { failureRate: { windowSeconds: 90 } },
        'alertSettings.failureRate.windowSeconds: A whole number of minutes (60, 300, 900 …): the rule reads per-minute counters',
      ],
      [{ failureRate: { minAttempts: 0 } }, 'alertSettings.failureRate.minAttempts: At least 1'],
      [{ backlogAge: { thresholdSeconds: 5 } }, 'alertSettings.backlogAge.thresholdSeconds: At least 60 seconds'],
      [{ backlogAge: { enabled: 'yes' } }, 'alertSettings.backlogAge.enabled: true or false'],
      [{ backlogAge: { treshold: 60 } }, 'alertSettings.backlogAge: Unrecognized key: "treshold"'],
      [{ expectedEvery: 60 }, 'alertSettings: Unrecognized key: "expectedEvery"'],
      ['off', 'alertSettings: alertSettings must be an object such as {"failureRate": {"threshold": 0.5}}'],
    ];
    for (const [alertSettings, message] of cases) {
      const answer = await call(patchDestination, { key: admin, id, method: 'PATCH', body: { alertSettings } });
      expect({ alertSettings, ...answer }).toMatchObject({ alertSettings, status: 422, body: { error: { code: 'invalid_input', message } } });
    }
    expect(await call(patchDestination, { key: admin, id, method: 'PATCH', body: '{"alertSettings": ' })).toMatchObject({
      status: 400,
      body: { error: { code: 'bad_request' } },
    });
    expect((await db().destination.findUniqueOrThrow({ where: { id } })).alertSettings).toEqual({});
  });

  it('lets only ADMIN change them', async () => {
    const id = (await call(createDestination, { key: admin, method: 'POST', body: { name: 'Roles', url: 'http://127.0.0.1:9/r' } })).body.id as string;
    for (const key of [viewer, support]) {
      expect(await call(patchDestination, { key, id, method: 'PATCH', body: { alertSettings: { backlogAge: { enabled: false } } } })).toMatchObject({
        status: 403,
        body: { error: { code: 'forbidden' } },
      });
    }
    expect((await db().destination.findUniqueOrThrow({ where: { id } })).alertSettings).toEqual({});
  });
});

describe('a source’s alertSettings', () => {
  it('answers the defaults, watches from when expectedEvery is set, and stops watching on null', async () => {
    const created = await call(createSource, { key: admin, method: 'POST', body: { name: 'Watched source', provider: 'none' } });
    expect(created.status).toBe(201);
    expect(created.body).toMatchObject({ alertSettings: SOURCE_DEFAULTS, silence: null });
    const id = created.body.id as string;

    const before = Date.now();
    const watched = await call(patchSource, {
      key: admin,
      id,
      method: 'PATCH',
      body: { alertSettings: { expectedEvery: 3600, rejectionSpike: { threshold: 100 } } },
    });
    expect(watched.status).toBe(200);
    expect(watched.body.alertSettings).toEqual({ expectedEvery: 3600, rejectionSpike: { enabled: true, threshold: 100, windowSeconds: 300 } });
    expect(watched.body.silence).toMatchObject({ expectedEvery: 3600, silent: false, lastEventAt: null, silentSince: null });
    expect(new Date(watched.body.silence.watchingSince).getTime()).toBeGreaterThanOrEqual(before - 1000);
    expect((await call(getSource, { key: viewer, id })).body.alertSettings.expectedEvery).toBe(3600);

    const audit = await db().auditLog.findFirstOrThrow({ where: { targetId: id, action: 'source.update' } });
    expect(audit).toMatchObject({ before: { alertSettings: {} }, after: { alertSettings: { expectedEvery: 3600, rejectionSpike: { threshold: 100 } } } });

    const unwatched = await call(patchSource, { key: admin, id, method: 'PATCH', body: { alertSettings: { expectedEvery: null } } });
    expect(unwatched.body).toMatchObject({ alertSettings: { expectedEvery: null, rejectionSpike: { threshold: 100 } }, silence: null });
    expect((await db().source.findUniqueOrThrow({ where: { id } })).alertSettings).toEqual({ rejectionSpike: { threshold: 100 } });
  });

  it('takes alertSettings at creation too', async () => {
    const created = await call(createSource, {
      key: admin,
      method: 'POST',
      body: { name: 'Born watched', provider: 'none', alertSettings: { expectedEvery: 600 } },
    });
    expect(created.status).toBe(201);
    expect(created.body.alertSettings.expectedEvery).toBe(600);
    expect(created.body.silence).toMatchObject({ expectedEvery: 600, silent: false });
  });

  it('refuses bad values with a 422 that names the field, and VIEWER with a 403', async () => {
    const id = (await call(createSource, { key: admin, method: 'POST', body: { name: 'Strict source', provider: 'none' } })).body.id as string;
    const cases: [unknown, string][] = [
      [{ expectedEvery: 5 }, 'alertSettings.expectedEvery: At least 10 seconds'],
      [{ expectedEvery: 90.5 }, 'alertSettings.expectedEvery: A whole number of seconds'],
      [{ expectedEvery: '1h' }, 'alertSettings.expectedEvery: A number of seconds, or null to stop watching'],
      [{ expectedEvery: 31 * 86_400 }, 'alertSettings.expectedEvery: At most 2592000 seconds (30 days)'],
      [{ rejectionSpike: { threshold: -1 } }, 'alertSettings.rejectionSpike.threshold: At least 1'],
      [{ rejectionSpike: { windowSeconds: 30 } }, 'alertSettings.rejectionSpike.windowSeconds: At least 60 seconds'],
      [{ failureRate: { threshold: 0.5 } }, 'alertSettings: Unrecognized key: "failureRate"'],
    ];
    for (const [alertSettings, message] of cases) {
      const answer = await call(patchSource, { key: admin, id, method: 'PATCH', body: { alertSettings } });
      expect({ alertSettings, ...answer }).toMatchObject({ alertSettings, status: 422, body: { error: { code: 'invalid_input', message } } });
    }
    for (const key of [viewer, support]) {
      expect(await call(patchSource, { key, id, method: 'PATCH', body: { alertSettings: { expectedEvery: 60 } } })).toMatchObject({ status: 403 });
    }
    expect((await db().source.findUniqueOrThrow({ where: { id } })).alertSettings).toEqual({});
  });
});
