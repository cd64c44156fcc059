/**
 * What the route editor needs from the sandbox: a save-time check (the code compiles, its top
 * level runs inside the limits, and it defines transform; else a 422 with the message and line),
 * and a test run against a stored event that shows what would be sent, without sending anything
 * or writing anything. Both run in the same sandbox pool as the worker, so an editor's test and
 * the real delivery cannot disagree, and a runaway test cannot stall the dashboard process.
 */
import { isUuid } from '@/lib/db/ids';
import { db } from '@/lib/db/prisma';
import { AppError, notFound } from '@/lib/http/errors';
import type { TransformEvent } from './sandbox';
import { outgoingFor, transformInput } from './transform-delivery';
import type { TestTransformInput } from './transforms.schema';
import { transformPool } from './transform-pool';

export interface TransformErrorView {
  code: 'transform_error';
  message: string;
  line: number | null;
}

export type TestTransformAnswer =
  | {
      /** The event the code returned, or null: this destination would be skipped. */
      result: TransformEvent | null;
      /** What would be sent: the headers from the transform (before Hookyard's own and the signature) and the body as text. */
      sent: { headers: Record<string, string>; body: string; bodyChanged: boolean } | null;
      logs: string[];
      durationMs: number;
    }
  | { error: TransformErrorView; logs: string[]; durationMs: number };

/** Compiles the code in the sandbox; a 422 with the message and line when it does not compile or does not define transform. */
export async function assertTransformCompiles(source: string): Promise<void> {
  const run = await transformPool().run(source, null);
  if (run.kind !== 'error') return;
  throw new AppError('invalid_input', `transform: ${run.message}`, [{ path: 'transform', message: run.message, line: run.line }]);
}

export async function testTransform(input: TestTransformInput): Promise<TestTransformAnswer> {
  if (!isUuid(input.eventId)) throw notFound('Event');
  const event = await db().event.findUnique({
    where: { id: input.eventId },
    select: { headers: true, body: true, eventType: true, source: { select: { slug: true } } },
  });
  if (!event) throw notFound('Event');
  const headers: Record<string, string> = {};
  if (event.headers && typeof event.headers === 'object' && !Array.isArray(event.headers)) {
    for (const [name, value] of Object.entries(event.headers)) if (typeof value === 'string') headers[name] = value;
  }
  const body = Buffer.from(event.body);
  const transformEvent = transformInput({ headers, body, eventType: event.eventType, source: event.source.slug });
  const run = await transformPool().run(input.transform, transformEvent);
  const durationMs = Math.round(run.durationMs * 100) / 100;
  if (run.kind === 'error') return { error: { code: 'transform_error', message: run.message, line: run.line }, logs: run.logs, durationMs };
  if (run.kind === 'skip') return { result: null, sent: null, logs: run.logs, durationMs };
  const outgoing = outgoingFor(run, transformEvent, body);
  const sent =
    outgoing.kind === 'send' ? { headers: outgoing.headers, body: outgoing.body.toString('utf8'), bodyChanged: outgoing.transformed.bodyChanged } : null;
  return { result: run.event, sent, logs: run.logs, durationMs };
}
