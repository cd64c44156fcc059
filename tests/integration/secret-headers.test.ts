/**
 * A header that carries a source's secret (its provider declares which) is stored without its
 * value and never forwarded: token, Basic and GitLab sources, through the real ingest server and
 * a real worker to a sink. (It used to reach every destination as `authorization: [redacted]`.)
 */
import { afterAll, beforeAll, expect, it } from 'vitest';
import { db } from '@/lib/db/prisma';
import { closeSql, sql } from '@/lib/db/sql';
import { DeliveryWorker } from '@/lib/worker/delivery-worker';
import { getProvider } from '@/lib/providers';
import { createTestDestination, createTestRoute, createTestSource } from '../support/fixtures';
import { type RunningIngestServer, startIngestServer } from '../support/ingest-server';
import { type Sink, startSink } from '../support/sink';
import { untilWorkerShows } from '../support/worker-events';

let sink: Sink;
let ingest: RunningIngestServer;
let worker: DeliveryWorker;

beforeAll(async () => {
  sink = await startSink();
  ingest = await startIngestServer('lean server');
  worker = new DeliveryWorker(sql, { pollIntervalMs: 50, recordDelayMs: 1 });
  await worker.start();
});

afterAll(async () => {
  await worker.stop();
  await ingest.close();
  await sink.close();
  await db().$disconnect();
  await closeSql();
});

const cases = [
  {
    provider: 'token',
    settings: { header: 'x-team-token' },
    secret: 'tok_live_123456',
    headers: { 'x-team-token': 'tok_live_123456' },
    secretHeader: 'x-team-token',
  },
  {
    provider: 'basic',
    settings: {},
    secret: 'hooks:pa55word',
    headers: { authorization: `Basic ${Buffer.from('hooks:pa55word').toString('base64')}` },
    secretHeader: 'authorization',
  },
  {
    provider: 'gitlab',
    settings: {},
    secret: 'glsecret-abcdef',
    headers: { 'x-gitlab-token': 'glsecret-abcdef', 'x-gitlab-event': 'Push Hook' },
    secretHeader: 'x-gitlab-token',
  },
] as const;

it.each(cases)(
  'a $provider source: the secret header is stored as a placeholder and never forwarded',
  async ({ provider, settings, secret, headers, secretHeader }) => {
    expect(getProvider(provider).secretHeaders?.(getProvider(provider).settingsSchema.parse(settings) as never)).toEqual([secretHeader]);
    const { source } = await createTestSource({ provider, settings, secrets: [{ value: secret }] });
    const destination = await createTestDestination({ url: `${sink.url}/${provider}` });
    await createTestRoute({ sourceId: source.id, destinationId: destination.id });

    const response = await fetch(ingest.ingestUrl(source.slug), {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-kept': 'yes', ...headers },
      body: JSON.stringify({ object_kind: 'push', id: provider }),
    });
    expect(response.status, await response.clone().text()).toBe(202);
    const { id } = (await response.json()) as { id: string };

    const event = await db().event.findUniqueOrThrow({ where: { id } });
    expect((event.headers as Record<string, string>)[secretHeader]).toBe('[redacted]');
    expect(JSON.stringify(event.headers)).not.toContain(secret);

    const forwarded = await untilWorkerShows(worker, async () => sink.received.find((request) => request.path === `/${provider}`), 'the forward');
    expect(forwarded.headers['x-kept']).toBe('yes');
    expect(forwarded.headers[secretHeader]).toBeUndefined();
    expect(JSON.stringify(forwarded.headers)).not.toContain('[redacted]');
  },
);
