/** Answers of the destinations operations (lib/destinations/manage-destinations.ts, lib/worker/probe-now.ts). */
import { z } from 'zod';
import { secretMetadataSchema, timestamp } from '../responses.schema';

export const destinationSchema = z
  .object({
    id: z.string(),
    name: z.string(),
    url: z.string().meta({ description: "A broker URL's password or NATS token is shown as `***`; admins reveal it with POST …/reveal-url." }),
    options: z
      .looseObject({})
      .meta({ description: 'Per-scheme options of a broker destination (exchange, routingKey, stream, maxLen, subject); {} for HTTP.' }),
    headers: z.record(z.string(), z.string()).meta({ description: 'Added to every forward; the values are masked for roles below ADMIN.' }),
    timeoutMs: z.number().int(),
    retrySchedule: z.array(z.number().int()).meta({ description: "Seconds to wait before each attempt; the first entry is the first attempt's delay." }),
    maxConcurrency: z.number().int(),
    rateLimitPerSecond: z.number().int().nullable(),
    orderingKey: z.string().nullable().meta({ description: 'JSON path; deliveries with equal values go out one at a time, oldest first.' }),
    status: z.enum(['active', 'paused', 'disabled']),
    circuitState: z
      .enum(['closed', 'open', 'half_open'])
      .meta({ description: 'The circuit breaker: open holds deliveries until its next probe (`circuitRetryAt`).' }),
    circuitOpenedAt: timestamp.nullable(),
    circuitRetryAt: timestamp.nullable().meta({ description: 'When an open circuit probes next.' }),
    consecutiveFailures: z.number().int(),
    failingSince: timestamp.nullable().meta({ description: 'Start of the current unbroken run of failures; null while healthy.' }),
    disableAfterSeconds: z.number().int().meta({ description: 'Disabled after failing continuously this long.' }),
    alertSettings: z.looseObject({}).meta({ description: "The alert rules' settings, defaults filled in." }),
    createdAt: timestamp,
    updatedAt: timestamp,
    pausedAt: timestamp.nullable(),
    disabledAt: timestamp.nullable(),
    signingSecretHint: z.string().nullable().meta({ description: 'Hint of the newest active signing secret.' }),
    secrets: z.array(secretMetadataSchema),
  })
  .meta({ id: 'Destination' });

export const createdDestinationSchema = destinationSchema
  .extend({ signingSecret: z.string().meta({ description: 'The Standard Webhooks signing secret; in this answer only.' }) })
  .meta({ id: 'CreatedDestination' });

export const resumedDestinationSchema = destinationSchema
  .extend({
    requeued: z.number().int().meta({ description: 'Held deliveries made due now.' }),
    resolvedAlerts: z.number().int().meta({ description: 'Its disabled and circuit-open alerts resolved by re-enabling it.' }),
  })
  .meta({ id: 'ResumedDestination' });

export const probeRequestedSchema = z
  .object({ id: z.string(), circuitState: z.literal('half_open'), nextProbeAt: timestamp.meta({ description: 'When the probe is due: now.' }) })
  .meta({ id: 'ProbeRequested' });

export const revealedUrlSchema = z
  .object({ id: z.string(), url: z.string().meta({ description: 'The URL with its password or token.' }) })
  .meta({ id: 'RevealedUrl' });
