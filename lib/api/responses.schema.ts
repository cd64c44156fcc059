/**
 * Zod schemas of the JSON API's answers, for the OpenAPI document. The server does not parse its
 * own answers with them; tests/integration/openapi-server.test.ts checks real answers against
 * them instead, so a schema that stops telling the truth fails a test. The shared pieces and the
 * sources, secrets and events live here; the other resources in lib/api/responses/*.schema.ts.
 * Every operation that answers JSON names its schema (tests/unit/openapi-document.test.ts).
 */
import { z } from 'zod';
import { DELIVERY_STATUSES } from '@/lib/list-filters/list-filter.schema';

/** Dates leave the server through JSON.stringify: ISO 8601 strings. */
export const timestamp = z.iso.datetime({ offset: true });

export const errorResponseSchema = z
  .object({
    error: z.object({
      code: z.string().meta({ description: 'Stable machine-readable code: invalid_input, unauthorized, forbidden, not_found, conflict, …' }),
      message: z.string().meta({ description: 'For people; never contains secret values.' }),
      details: z.unknown().optional().meta({ description: 'With invalid_input: every problem, `[{"path", "message"}]`; other codes may add context.' }),
      requestId: z.string().optional().meta({ description: 'With internal (500): the id under which the error was logged.' }),
    }),
  })
  .meta({ id: 'Error' });

/** `{"data": [...]}`: the unpaged lists. */
export const listOf = (item: z.ZodType) => z.object({ data: z.array(item) });

/** `{"data": [...], "nextCursor"}`: the paged lists, newest first. */
export const pageOf = (item: z.ZodType) =>
  z.object({ data: z.array(item), nextCursor: z.string().nullable().meta({ description: 'Pass as `cursor` for the next page; null on the last.' }) });

export const secretMetadataSchema = z
  .looseObject({
    id: z.string(),
    label: z.string().nullable(),
    hint: z.string(),
    lastMatchedAt: timestamp.nullable(),
    status: z.enum(['active', 'expiring', 'expired', 'revoked']),
    createdAt: timestamp,
    expiresAt: timestamp.nullable(),
    revokedAt: timestamp.nullable(),
  })
  .meta({ id: 'SecretMetadata', description: 'A secret without its value.' });

export const sourceSchema = z
  .object({
    id: z.string(),
    name: z.string(),
    slug: z.string(),
    provider: z.string(),
    providerLabel: z.string(),
    verifies: z.boolean().meta({ description: 'False for the `none` provider: requests are accepted unverified.' }),
    settings: z.unknown(),
    status: z.enum(['active', 'disabled']),
    sizeLimitBytes: z.number().int(),
    rateLimitPerSecond: z.number().nullable(),
    ipAllowlist: z.array(z.string()),
    dedupHeader: z.string().nullable(),
    dedupJsonPath: z.string().nullable(),
    dedupEnabled: z.boolean(),
    eventTypeJsonPath: z.string().nullable(),
    alertSettings: z.looseObject({ expectedEvery: z.number().nullable() }),
    silence: z.looseObject({ expectedEvery: z.number(), silent: z.boolean() }).nullable(),
    createdAt: timestamp,
    updatedAt: timestamp,
    disabledAt: timestamp.nullable(),
    ingestUrl: z.string().meta({ description: 'Where the provider must POST.' }),
    secrets: z.array(secretMetadataSchema),
  })
  .meta({ id: 'Source' });

export const secretWithValueSchema = secretMetadataSchema
  .extend({ value: z.string().meta({ description: 'In this answer only.' }) })
  .meta({ id: 'SecretWithValue' });

export const eventListItemSchema = z
  .object({
    id: z.string(),
    source: z.object({ id: z.string(), slug: z.string(), name: z.string() }),
    eventType: z.string().nullable(),
    dedupKey: z.string().nullable().meta({ description: "The provider's event id when the source has a dedup key." }),
    receivedAt: timestamp,
    size: z.number().int(),
    contentType: z.string().nullable(),
    verification: z.enum(['verified', 'unverified']),
    deliveries: z.object({ total: z.number().int(), byStatus: z.partialRecord(z.enum(DELIVERY_STATUSES), z.number().int()) }),
    destinations: z.array(
      z.object({
        id: z.string(),
        name: z.string(),
        status: z.string(),
        deliveryId: z.string(),
        heldByCircuit: z
          .object({ nextProbeAt: timestamp })
          .nullable()
          .meta({ description: "Set while the destination's open circuit holds this pending delivery: when it probes next (a past time means due now)." }),
      }),
    ),
  })
  .meta({ id: 'EventListItem' });

/** `POST /secrets/{id}/reveal`. */
export const revealedSecretSchema = z
  .object({ id: z.string(), value: z.string().meta({ description: "The secret's value; every reveal is audited." }) })
  .meta({ id: 'RevealedSecret' });

/** A rotation's answer: the new secret with its value, and the secrets that now end after the grace period. */
export const rotatedSecretSchema = secretWithValueSchema
  .extend({
    expiring: z
      .array(z.object({ id: z.string(), hint: z.string(), expiresAt: timestamp.nullable() }))
      .meta({ description: 'The secrets that were active and now end after `graceSeconds`.' }),
  })
  .meta({ id: 'RotatedSecret' });
