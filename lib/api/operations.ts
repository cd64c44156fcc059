/**
 * Every /api/v1 operation, declared once. The route file passes its entry to apiRoute (role, body
 * and query schemas come from here) and lib/api/openapi.ts turns the same entries into the OpenAPI
 * document, so what is documented is what is checked. tests/unit/openapi-document.test.ts walks
 * app/api/v1 on disk and fails when a route's exports and this list disagree.
 */
import { listAlertsQuerySchema } from '@/lib/alerts/alerts.schema';
import { listAuditQuerySchema } from '@/lib/audit/list-audit';
import { createDestinationSchema, updateDestinationSchema } from '@/lib/destinations/destinations.schema';
import { listDeliveriesQuerySchema, listEventsQuerySchema, streamEventsQuerySchema } from '@/lib/list-filters/list-filter.schema';
import { createChannelSchema, updateChannelSchema } from '@/lib/notifications/channels.schema';
import { overviewQuerySchema } from '@/lib/overview/overview.schema';
import { createReplaySchema, replayEventSchema } from '@/lib/replay/replay.schema';
import { createRouteSchema, listRoutesQuerySchema, updateRouteSchema } from '@/lib/routes/routes.schema';
import { addSecretSchema, rotateSecretSchema } from '@/lib/secrets/secrets.schema';
import { createSourceSchema, updateSourceSchema } from '@/lib/sources/sources.schema';
import { testTransformSchema } from '@/lib/transforms/transforms.schema';
import { changeOwnPasswordSchema, createApiKeySchema, createUserSchema, resetPasswordSchema, updateUserSchema } from '@/lib/users/users.schema';
import type { z } from 'zod';
import { operation } from './operation';
import {
  alertNotificationSchema,
  alertSchema,
  channelSchema,
  channelTestResultSchema,
  createdChannelSchema,
  deletedChannelSchema,
} from './responses/alerts.schema';
import { deliveryListItemSchema, deliveryWithEventSchema, eventSchema, replayedEventSchema, retriedDeliverySchema } from './responses/deliveries.schema';
import {
  createdDestinationSchema,
  destinationSchema,
  probeRequestedSchema,
  resumedDestinationSchema,
  revealedUrlSchema,
} from './responses/destinations.schema';
import { overviewSchema } from './responses/overview.schema';
import { cancelledReplaySchema, replayDryRunSchema, replaySchema, replaySummarySchema, startedReplaySchema } from './responses/replays.schema';
import { routeSchema, testTransformAnswerSchema } from './responses/routes.schema';
import {
  apiKeySchema,
  auditEntrySchema,
  createdApiKeySchema,
  createdUserSchema,
  passwordChangedSchema,
  passwordResetSchema,
  sessionsRevokedSchema,
  userListItemSchema,
  userSchema,
} from './responses/users.schema';
import {
  eventListItemSchema,
  listOf,
  pageOf,
  revealedSecretSchema,
  rotatedSecretSchema,
  secretMetadataSchema,
  secretWithValueSchema,
  sourceSchema,
} from './responses.schema';

// Every JSON answer names its schema (tests/unit/openapi-document.test.ts refuses a bare object).
const ok = (description: string, schema: z.ZodType) => ({ status: 200 as const, description, schema });
const created = (description: string, schema: z.ZodType) => ({ status: 201 as const, description, schema });
const accepted = (description: string, schema: z.ZodType) => ({ status: 202 as const, description, schema });

export const operations = {
  // Overview
  getOverview: operation({
    method: 'GET',
    path: '/overview',
    role: 'VIEWER',
    tag: 'Overview',
    query: overviewQuerySchema,
    summary: "The overview's charts and right-now numbers",
    description: '`range` is 1h, 24h (default), 7d or 30d; optionally one `sourceId` or `destinationId`. Points are zero-filled.',
    success: ok('Series and counters', overviewSchema),
  }),

  // Sources
  listSources: operation({
    method: 'GET',
    path: '/sources',
    role: 'VIEWER',
    tag: 'Sources',
    summary: 'List sources',
    success: ok('The sources', listOf(sourceSchema)),
  }),
  createSource: operation({
    method: 'POST',
    path: '/sources',
    role: 'ADMIN',
    tag: 'Sources',
    body: createSourceSchema,
    summary: 'Create a source',
    description: 'The answer carries `ingestUrl`, where the provider must POST. A taken slug is a 409.',
    success: created('The new source', sourceSchema),
    errors: [409],
  }),
  getSource: operation({
    method: 'GET',
    path: '/sources/{id}',
    role: 'VIEWER',
    tag: 'Sources',
    summary: 'Read a source',
    success: ok('The source', sourceSchema),
  }),
  updateSource: operation({
    method: 'PATCH',
    path: '/sources/{id}',
    role: 'ADMIN',
    tag: 'Sources',
    body: updateSourceSchema,
    summary: 'Change a source',
    success: ok('The changed source', sourceSchema),
    errors: [409],
  }),
  disableSource: operation({
    method: 'DELETE',
    path: '/sources/{id}',
    role: 'ADMIN',
    tag: 'Sources',
    summary: 'Disable a source',
    description: 'Its events and secrets stay; PATCH `{"status": "active"}` re-enables it.',
    success: ok('The disabled source', sourceSchema),
  }),
  addSourceSecret: operation({
    method: 'POST',
    path: '/sources/{id}/secrets',
    role: 'ADMIN',
    tag: 'Secrets',
    body: addSecretSchema,
    summary: 'Add a verification secret to a source',
    description: 'Generated when `value` is absent. The value is in this answer only.',
    success: created('The new secret with its value', secretWithValueSchema),
    errors: [409],
  }),
  rotateSourceSecret: operation({
    method: 'POST',
    path: '/sources/{id}/secrets/rotate',
    role: 'ADMIN',
    tag: 'Secrets',
    body: rotateSecretSchema,
    summary: "Rotate a source's secret",
    description: 'The other secrets expire after `graceSeconds` (default 86400). The value is in this answer only.',
    success: created('The new secret with its value', rotatedSecretSchema),
    errors: [409],
  }),

  // Secrets
  revealSecret: operation({
    method: 'POST',
    path: '/secrets/{id}/reveal',
    role: 'ADMIN',
    tag: 'Secrets',
    summary: "Reveal a secret's value",
    description: 'Admin only; every reveal is written to the audit log before the value is returned.',
    success: ok('The secret with its value', revealedSecretSchema),
  }),
  revokeSecret: operation({
    method: 'DELETE',
    path: '/secrets/{id}',
    role: 'ADMIN',
    tag: 'Secrets',
    summary: 'Revoke a secret',
    description: 'It stops working now; the row stays for the audit trail.',
    success: ok('The revoked secret', secretMetadataSchema),
    errors: [409],
  }),

  // Destinations
  listDestinations: operation({
    method: 'GET',
    path: '/destinations',
    role: 'VIEWER',
    tag: 'Destinations',
    summary: 'List destinations',
    success: ok('The destinations', listOf(destinationSchema)),
  }),
  createDestination: operation({
    method: 'POST',
    path: '/destinations',
    role: 'ADMIN',
    tag: 'Destinations',
    body: createDestinationSchema,
    summary: 'Create a destination',
    description: '`signingSecret` is in this answer only; later answers show its hint. Link-local and cloud-metadata addresses are refused.',
    success: created('The new destination with its signing secret', createdDestinationSchema),
  }),
  getDestination: operation({
    method: 'GET',
    path: '/destinations/{id}',
    role: 'VIEWER',
    tag: 'Destinations',
    summary: 'Read a destination',
    success: ok('The destination', destinationSchema),
  }),
  updateDestination: operation({
    method: 'PATCH',
    path: '/destinations/{id}',
    role: 'ADMIN',
    tag: 'Destinations',
    body: updateDestinationSchema,
    summary: 'Change a destination',
    success: ok('The changed destination', destinationSchema),
  }),
  disableDestination: operation({
    method: 'DELETE',
    path: '/destinations/{id}',
    role: 'ADMIN',
    tag: 'Destinations',
    summary: 'Disable a destination',
    description: 'No new deliveries; POST …/resume re-enables it.',
    success: ok('The disabled destination', destinationSchema),
  }),
  pauseDestination: operation({
    method: 'POST',
    path: '/destinations/{id}/pause',
    role: 'ADMIN',
    tag: 'Destinations',
    summary: 'Pause a destination',
    description: 'Deliveries are held until resume.',
    success: ok('The paused destination', destinationSchema),
  }),
  resumeDestination: operation({
    method: 'POST',
    path: '/destinations/{id}/resume',
    role: 'ADMIN',
    tag: 'Destinations',
    summary: 'Resume a destination',
    description: 'Active again (also from disabled); held deliveries are due now. The answer includes `requeued`.',
    success: ok('The resumed destination', resumedDestinationSchema),
  }),
  probeDestination: operation({
    method: 'POST',
    path: '/destinations/{id}/probe',
    role: 'SUPPORT',
    tag: 'Destinations',
    summary: 'Probe an open circuit now',
    description: 'Instead of after its cool-down. Audited.',
    success: accepted('The probe is scheduled', probeRequestedSchema),
    errors: [409],
  }),
  revealDestinationUrl: operation({
    method: 'POST',
    path: '/destinations/{id}/reveal-url',
    role: 'ADMIN',
    tag: 'Destinations',
    summary: "Reveal a destination's URL with its password or NATS token",
    description: 'Every reveal is written to the audit log first.',
    success: ok('The full URL', revealedUrlSchema),
  }),
  rotateDestinationSecret: operation({
    method: 'POST',
    path: '/destinations/{id}/secrets/rotate',
    role: 'ADMIN',
    tag: 'Destinations',
    body: rotateSecretSchema,
    summary: "Rotate a destination's signing secret",
    description: 'The value is in this answer only; the old one keeps signing until `graceSeconds` pass.',
    success: created('The new signing secret with its value', rotatedSecretSchema),
  }),

  // Routes
  listRoutes: operation({
    method: 'GET',
    path: '/routes',
    role: 'VIEWER',
    tag: 'Routes',
    query: listRoutesQuerySchema,
    summary: 'List routes',
    success: ok('The routes', listOf(routeSchema)),
  }),
  createRoute: operation({
    method: 'POST',
    path: '/routes',
    role: 'ADMIN',
    tag: 'Routes',
    body: createRouteSchema,
    summary: 'Create a route from a source to a destination',
    success: created('The new route', routeSchema),
  }),
  getRoute: operation({ method: 'GET', path: '/routes/{id}', role: 'VIEWER', tag: 'Routes', summary: 'Read a route', success: ok('The route', routeSchema) }),
  updateRoute: operation({
    method: 'PATCH',
    path: '/routes/{id}',
    role: 'ADMIN',
    tag: 'Routes',
    body: updateRouteSchema,
    summary: 'Change a route',
    success: ok('The changed route', routeSchema),
  }),
  deleteRoute: operation({
    method: 'DELETE',
    path: '/routes/{id}',
    role: 'ADMIN',
    tag: 'Routes',
    summary: 'Delete a route',
    description: 'Deliveries it created stay, with routeId null.',
    success: { status: 204, description: 'Deleted' },
  }),
  testTransform: operation({
    method: 'POST',
    path: '/routes/test-transform',
    role: 'ADMIN',
    tag: 'Routes',
    body: testTransformSchema,
    summary: 'Run a transform on a stored event',
    description: 'Answers `{result}` or `{error}`; nothing is sent or stored.',
    success: ok('The transformed request, or the error', testTransformAnswerSchema),
  }),

  // Events
  listEvents: operation({
    method: 'GET',
    path: '/events',
    role: 'VIEWER',
    tag: 'Events',
    query: listEventsQuerySchema,
    summary: 'List events, newest first',
    description: '`q` searches payloads (`path=value` or text); a text search is limited to a window of 7 days.',
    success: ok('A page of events', pageOf(eventListItemSchema)),
  }),
  streamEvents: operation({
    method: 'GET',
    path: '/events/stream',
    role: 'VIEWER',
    tag: 'Events',
    query: streamEventsQuerySchema,
    headers: [
      { name: 'Last-Event-ID', description: 'The `id` of the last message received: the stream resumes right after that event, with no gap and no repeat.' },
    ],
    summary: 'Stream newly accepted events (Server-Sent Events)',
    description:
      'One `event: event` message per newly accepted event that matches the filters (those of the events list), in the order their writes committed: ' +
      '`id:` is the event id and `data:` the events list item as JSON. A comment line (`: keep-alive`) comes at least every 15 s. ' +
      'Reconnect with `Last-Event-ID` (EventSource does it by itself) to get everything accepted since, exactly once. ' +
      'An unknown `Last-Event-ID` answers 404. docs/event-stream.md.',
    errors: [404],
    success: { status: 200, description: 'A text/event-stream that stays open', contentType: 'text/event-stream' },
  }),
  getEvent: operation({
    method: 'GET',
    path: '/events/{id}',
    role: 'VIEWER',
    tag: 'Events',
    summary: 'Read an event',
    description: 'With headers, body, verification result, deliveries and their attempts.',
    success: ok('The event', eventSchema),
  }),
  replayEvent: operation({
    method: 'POST',
    path: '/events/{id}/replay',
    role: 'SUPPORT',
    tag: 'Events',
    body: replayEventSchema,
    summary: 'Replay one event',
    description: 'To every routed destination, or to `destinationId`. Audited.',
    success: accepted('`{"deliveries": [new ids], "skipped": [...]}`', replayedEventSchema),
  }),

  // Deliveries
  listDeliveries: operation({
    method: 'GET',
    path: '/deliveries',
    role: 'VIEWER',
    tag: 'Deliveries',
    query: listDeliveriesQuerySchema,
    summary: 'List deliveries, newest first',
    success: ok('A page of deliveries', pageOf(deliveryListItemSchema)),
  }),
  getDelivery: operation({
    method: 'GET',
    path: '/deliveries/{id}',
    role: 'VIEWER',
    tag: 'Deliveries',
    summary: 'Read a delivery',
    description: "With all its attempts and its event's summary.",
    success: ok('The delivery', deliveryWithEventSchema),
  }),
  retryDelivery: operation({
    method: 'POST',
    path: '/deliveries/{id}/retry',
    role: 'SUPPORT',
    tag: 'Deliveries',
    summary: 'Send a delivery again now',
    description: 'A failed, cancelled or pending delivery; in flight or succeeded is a 409. Audited.',
    success: accepted('The delivery is due now', retriedDeliverySchema),
    errors: [409],
  }),

  // Replays
  listReplays: operation({
    method: 'GET',
    path: '/replays',
    role: 'VIEWER',
    tag: 'Replays',
    summary: 'The latest bulk replays, newest first',
    success: ok('The replays', listOf(replaySummarySchema)),
  }),
  createReplay: operation({
    method: 'POST',
    path: '/replays',
    role: 'SUPPORT',
    tag: 'Replays',
    body: createReplaySchema,
    summary: 'Replay the events a filter matches',
    description:
      'A dry run answers 200 `{"count"}`; otherwise 202 `{"id", "count"}`. A filter with no field is refused (422) unless it is `{"all": true}`. Audited.',
    success: accepted('The replay started', startedReplaySchema),
    otherSuccesses: [{ status: 200, description: 'A dry run: how many deliveries it would create', schema: replayDryRunSchema }],
  }),
  getReplay: operation({
    method: 'GET',
    path: '/replays/{id}',
    role: 'VIEWER',
    tag: 'Replays',
    summary: "A bulk replay's progress",
    success: ok('Total, processed, status, times, and the new deliveries by status', replaySchema),
  }),
  cancelReplay: operation({
    method: 'POST',
    path: '/replays/{id}/cancel',
    role: 'SUPPORT',
    tag: 'Replays',
    summary: 'Cancel a bulk replay',
    description: 'Stops it and cancels its deliveries not sent yet. Audited.',
    success: ok('The cancelled replay', cancelledReplaySchema),
    errors: [409],
  }),

  // Alerts
  listAlerts: operation({
    method: 'GET',
    path: '/alerts',
    role: 'VIEWER',
    tag: 'Alerts',
    query: listAlertsQuerySchema,
    summary: 'List alerts, newest first',
    success: ok('A page of alerts', pageOf(alertSchema)),
  }),
  getAlert: operation({ method: 'GET', path: '/alerts/{id}', role: 'VIEWER', tag: 'Alerts', summary: 'Read an alert', success: ok('The alert', alertSchema) }),
  listAlertNotifications: operation({
    method: 'GET',
    path: '/alerts/{id}/notifications',
    role: 'VIEWER',
    tag: 'Alerts',
    summary: "An alert's notifications, oldest first",
    success: ok('The notifications', listOf(alertNotificationSchema)),
  }),
  acknowledgeAlert: operation({
    method: 'POST',
    path: '/alerts/{id}/acknowledge',
    role: 'SUPPORT',
    tag: 'Alerts',
    summary: 'Acknowledge an alert',
    description: 'A resolved alert is a 409. Audited.',
    success: ok('The alert', alertSchema),
    errors: [409],
  }),
  resolveAlert: operation({
    method: 'POST',
    path: '/alerts/{id}/resolve',
    role: 'SUPPORT',
    tag: 'Alerts',
    summary: 'Resolve an alert',
    description: 'Already resolved is a 409. Audited.',
    success: ok('The alert', alertSchema),
    errors: [409],
  }),

  // Notification channels
  listChannels: operation({
    method: 'GET',
    path: '/notification-channels',
    role: 'ADMIN',
    tag: 'Notification channels',
    summary: 'List notification channels',
    description: 'URLs appear as hints only.',
    success: ok('The channels', listOf(channelSchema)),
  }),
  createChannel: operation({
    method: 'POST',
    path: '/notification-channels',
    role: 'ADMIN',
    tag: 'Notification channels',
    body: createChannelSchema,
    summary: 'Create a notification channel',
    description: "A webhook channel's `signingSecret` is in this answer only.",
    success: created('The new channel', createdChannelSchema),
  }),
  getChannel: operation({
    method: 'GET',
    path: '/notification-channels/{id}',
    role: 'ADMIN',
    tag: 'Notification channels',
    summary: 'Read a notification channel',
    success: ok('The channel', channelSchema),
  }),
  updateChannel: operation({
    method: 'PATCH',
    path: '/notification-channels/{id}',
    role: 'ADMIN',
    tag: 'Notification channels',
    body: updateChannelSchema,
    summary: 'Change a notification channel',
    success: ok('The changed channel', channelSchema),
  }),
  deleteChannel: operation({
    method: 'DELETE',
    path: '/notification-channels/{id}',
    role: 'ADMIN',
    tag: 'Notification channels',
    summary: 'Delete a notification channel',
    description: 'With its history; PATCH `{"enabled": false}` keeps it.',
    success: ok('The deleted channel', deletedChannelSchema),
  }),
  testChannel: operation({
    method: 'POST',
    path: '/notification-channels/{id}/test',
    role: 'ADMIN',
    tag: 'Notification channels',
    summary: 'Send a test message now',
    description: 'Audited.',
    success: ok('`{"delivered", "status", "errorKind", "error", "durationMs", "notificationId"}`', channelTestResultSchema),
  }),

  // Audit
  listAudit: operation({
    method: 'GET',
    path: '/audit',
    role: 'VIEWER',
    tag: 'Audit',
    query: listAuditQuerySchema,
    summary: 'The audit log, newest first',
    description: 'Entries never contain secret values.',
    success: ok('A page of audit entries', pageOf(auditEntrySchema)),
  }),

  // Users and API keys
  listUsers: operation({
    method: 'GET',
    path: '/users',
    role: 'ADMIN',
    tag: 'Users',
    summary: 'List users',
    success: ok('The users', listOf(userListItemSchema)),
  }),
  createUser: operation({
    method: 'POST',
    path: '/users',
    role: 'ADMIN',
    tag: 'Users',
    body: createUserSchema,
    summary: 'Create a user',
    description: 'A generated `password` is in this answer only.',
    success: created('The new user', createdUserSchema),
    errors: [409],
  }),
  updateUser: operation({
    method: 'PATCH',
    path: '/users/{id}',
    role: 'ADMIN',
    tag: 'Users',
    body: updateUserSchema,
    summary: "Change a user's role or status",
    success: ok('The changed user', userSchema),
    errors: [409],
  }),
  resetUserPassword: operation({
    method: 'POST',
    path: '/users/{id}/password',
    role: 'ADMIN',
    tag: 'Users',
    body: resetPasswordSchema,
    summary: "Set or generate a user's password",
    description: "A generated `password` is in this answer only; the user's sessions end. Audited.",
    success: ok('`{"reset": true, "password"?}`', passwordResetSchema),
  }),
  revokeUserSessions: operation({
    method: 'POST',
    path: '/users/{id}/sessions/revoke',
    role: 'VIEWER',
    tag: 'Users',
    summary: 'Sign a user out everywhere',
    description: 'Admins for anyone, every signed-in person for themselves (an API key is never "themselves": only ADMIN keys pass). Audited.',
    success: ok('`{"revoked": true}`', sessionsRevokedSchema),
  }),
  changeOwnPassword: operation({
    method: 'POST',
    path: '/users/me/password',
    role: 'VIEWER',
    tag: 'Users',
    body: changeOwnPasswordSchema,
    summary: "Change the caller's own password",
    description:
      'Needs the current password (a wrong one counts as a failed sign-in). The other sessions end; this one is re-issued in `Set-Cookie`. An API key has no password: 400.',
    success: ok('`{"changed": true, "signedIn"}`', passwordChangedSchema),
  }),
  listApiKeys: operation({
    method: 'GET',
    path: '/api-keys',
    role: 'ADMIN',
    tag: 'API keys',
    summary: 'List API keys',
    description: 'Metadata only; keys are stored hashed.',
    success: ok('The keys', listOf(apiKeySchema)),
  }),
  createApiKey: operation({
    method: 'POST',
    path: '/api-keys',
    role: 'ADMIN',
    tag: 'API keys',
    body: createApiKeySchema,
    summary: 'Issue an API key',
    description: 'The `key` is in this answer only.',
    success: created('The new key with its value', createdApiKeySchema),
  }),
  revokeApiKey: operation({
    method: 'DELETE',
    path: '/api-keys/{id}',
    role: 'ADMIN',
    tag: 'API keys',
    summary: 'Revoke an API key',
    success: ok('The revoked key', apiKeySchema),
  }),
};

export type OperationName = keyof typeof operations;
