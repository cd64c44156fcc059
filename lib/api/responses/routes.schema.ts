/** Answers of the routes operations (lib/routes/manage-routes.ts, lib/transforms/test-transform.ts). */
import { z } from 'zod';
import { timestamp } from '../responses.schema';

export const routeSchema = z
  .object({
    id: z.string(),
    sourceId: z.string(),
    destinationId: z.string(),
    eventTypes: z.array(z.string()).meta({ description: 'Event-type patterns such as `order.*`; empty matches every event.' }),
    filter: z.unknown().meta({ description: 'JSON conditions on the payload, or null.' }),
    transform: z.string().nullable().meta({ description: 'JavaScript defining `function transform(event)`, or null.' }),
    enabled: z.boolean(),
    createdAt: timestamp,
    updatedAt: timestamp,
    source: z.object({ id: z.string(), name: z.string(), slug: z.string(), status: z.enum(['active', 'disabled']) }),
    destination: z.object({ id: z.string(), name: z.string(), url: z.string(), status: z.enum(['active', 'paused', 'disabled']) }),
  })
  .meta({ id: 'Route' });

const transformEvent = z.object({
  eventType: z.string().nullable(),
  source: z.string().meta({ description: "The source's slug." }),
  headers: z.record(z.string(), z.string()),
  body: z.unknown().meta({ description: 'The parsed JSON body, or the raw text when the body is not JSON.' }),
});

const runInfo = {
  logs: z.array(z.string()).meta({ description: "What the code's console calls printed." }),
  durationMs: z.number(),
};

export const testTransformAnswerSchema = z
  .union([
    z.object({
      result: transformEvent.nullable().meta({ description: 'The event the code returned, or null: this destination would be skipped.' }),
      sent: z
        .object({ headers: z.record(z.string(), z.string()), body: z.string(), bodyChanged: z.boolean() })
        .nullable()
        .meta({ description: "What would be sent: the transform's headers (before Hookyard's own and the signature) and the body as text." }),
      ...runInfo,
    }),
    z.object({ error: z.object({ code: z.literal('transform_error'), message: z.string(), line: z.number().int().nullable() }), ...runInfo }),
  ])
  .meta({ id: 'TestTransformAnswer' });
