/**
 * Configuration changes (sources, secrets, destinations, routes) are announced on the Postgres
 * channel `hookyard_config`, so every web process drops its cached copy at once; the caches also
 * expire on their own after a few seconds, in case a notification is missed.
 */
import { CONFIG_CHANNEL } from './channels';
import type { Prisma } from './generated/client';
import { db } from './prisma';

type Executor = Pick<Prisma.TransactionClient, '$executeRaw'>;

/** Call after (or inside the transaction of) any configuration change. */
export async function notifyConfigChanged(client: Executor = db()): Promise<void> {
  await client.$executeRaw`SELECT pg_notify(${CONFIG_CHANNEL}, '')`;
}
