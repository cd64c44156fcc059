// One open alert per kind and target, whatever the number of raisers, and exactly one queued
// notification per subscribed channel when it is raised and when it is resolved
// (lib/alerts/raise-alert.ts, lib/alerts/alert-notifications.ts, migration 20261202060000).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { resolveAlert } from '@/lib/alerts/manage-alerts';
import { raiseAlert } from '@/lib/alerts/raise-alert';
import { resolveAlertsBySystem } from '@/lib/alerts/resolve-cleared-alerts';
import { db, disconnectDb } from '@/lib/db/prisma';
import { closeSql, sql } from '@/lib/db/sql';
import { createTestDestination } from '../support/fixtures';

let destinationId: string;
let everything: string;
let onlySilence: string;
let disabled: string;

async function channel(name: string, data: { kinds?: ('source_silent' | 'delivery_exhausted')[]; enabled?: boolean } = {}) {
  return (await db().notificationChannel.create({ data: { name, type: 'email', to: ['ops@example.test'], ...data } })).id;
}

async function queued(alertId: string) {
  const rows = await db().alertNotification.findMany({ where: { alertId }, select: { channelId: true, event: true } });
  return rows.map((row) => `${row.event}:${row.channelId}`).sort();
}

beforeAll(async () => {
  destinationId = (await createTestDestination({ url: 'http://127.0.0.1:9/queue' })).id;
  everything = await channel('everything');
  onlySilence = await channel('silence only', { kinds: ['source_silent'] });
  disabled = await channel('switched off', { enabled: false });
});

afterAll(async () => {
  await db().notificationChannel.deleteMany({ where: { id: { in: [everything, onlySilence, disabled] } } });
  await disconnectDb();
  await closeSql();
});

describe('raising and resolving alerts queues their notifications', () => {
  it('opens one alert when many raise it at once, counts the rest, and queues one notification per subscribed channel', async () => {
    const raised = await Promise.all(
      Array.from({ length: 8 }, (_, i) => raiseAlert(sql(), { kind: 'delivery_exhausted', destinationId, message: `failure ${i}` })),
    );
    expect(raised.filter((r) => r.raised)).toHaveLength(1);
    expect(new Set(raised.map((r) => r.id)).size).toBe(1);
    const alert = await db().alert.findUniqueOrThrow({ where: { id: raised[0]!.id } });
    expect((alert.details as { count: number }).count).toBe(8);
    expect(await queued(alert.id)).toEqual([`raised:${everything}`]);

    await resolveAlert(alert.id, { kind: 'api_key', id: '0190a1b2-c3d4-7e5f-8a9b-0c1d2e3f4aff', label: 'test', role: 'ADMIN' });
    expect(await queued(alert.id)).toEqual([`raised:${everything}`, `resolved:${everything}`]);

    // Once resolved, the next occurrence opens (and notifies) a new alert.
    const again = await raiseAlert(sql(), { kind: 'delivery_exhausted', destinationId, message: 'again' });
    expect(again).toMatchObject({ raised: true });
    expect(again.id).not.toBe(alert.id);
  });

  it("queues 'resolved' for the system's resolutions, and never tells a failing channel about itself", async () => {
    const failing = await raiseAlert(sql(), { kind: 'notification_failing', channelId: everything, message: 'HTTP 500 five times' });
    // Only the failing channel hears about everything, and not about itself; the others are not subscribed.
    expect(await queued(failing.id)).toEqual([]);
    const silent = await raiseAlert(sql(), { kind: 'source_silent', destinationId, message: 'quiet' });
    expect(await queued(silent.id)).toEqual([`raised:${everything}`, `raised:${onlySilence}`].sort());
    const resolved = await resolveAlertsBySystem(sql(), sql()`a.id = ${silent.id}`, 'events arrived again');
    expect(resolved).toEqual([silent.id]);
    expect(await queued(silent.id)).toEqual([`raised:${everything}`, `raised:${onlySilence}`, `resolved:${everything}`, `resolved:${onlySilence}`].sort());
    expect(await resolveAlertsBySystem(sql(), sql()`a.id = ${silent.id}`, 'twice')).toEqual([]);
  });

  it('resolves and queues in one transaction even when given the pool: a resolution is never committed without its notifications', async () => {
    const alert = await raiseAlert(sql(), { kind: 'source_silent', destinationId, message: 'quiet again' });
    // Queueing fails (a trigger refuses the rows): the resolution must not stay behind without them.
    await sql().unsafe(`CREATE FUNCTION refuse_resolved() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN IF NEW.event = 'resolved' THEN RAISE EXCEPTION 'queueing refused'; END IF; RETURN NEW; END $$`);
    await sql().unsafe('CREATE TRIGGER refuse_resolved BEFORE INSERT ON alert_notifications FOR EACH ROW EXECUTE FUNCTION refuse_resolved()');
    try {
      await expect(resolveAlertsBySystem(sql(), sql()`a.id = ${alert.id}`, 'events arrived again')).rejects.toThrow('queueing refused');
    } finally {
      await sql().unsafe('DROP TRIGGER refuse_resolved ON alert_notifications');
      await sql().unsafe('DROP FUNCTION refuse_resolved()');
    }
    expect(await db().alert.findUniqueOrThrow({ where: { id: alert.id } })).toMatchObject({ status: 'open', resolvedAt: null });
    expect(await resolveAlertsBySystem(sql(), sql()`a.id = ${alert.id}`, 'events arrived again')).toEqual([alert.id]);
    expect((await queued(alert.id)).filter((row) => row.startsWith('resolved:'))).toHaveLength(2);
  });
});
