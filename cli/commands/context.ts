/** What every command gets: the API client (credentials loaded only when a command needs them) and --json. */
import { type Command, InvalidArgumentError } from 'commander';
import { ApiClient } from '../client';
import { loadCredentials } from '../config';

export interface CommandContext {
  json: boolean;
  client(): Promise<ApiClient>;
}

export function contextOf(command: Command): CommandContext {
  const { json } = command.optsWithGlobals<{ json?: boolean }>();
  return { json: Boolean(json), client: async () => new ApiClient(await loadCredentials()) };
}

/** The list filters of the events and deliveries lists and of bulk replays (SPEC "JSON API"). */
export interface FilterOptions {
  sourceId?: string;
  destinationId?: string;
  status?: string;
  eventType?: string;
  from?: string;
  to?: string;
  q?: string;
}

export function addFilterOptions(command: Command, what: string): Command {
  return command
    .option('--source-id <id>', `only ${what} of this source`)
    .option('--destination-id <id>', `only ${what} with a delivery to this destination`)
    .option('--status <status>', 'delivery status: pending, in_flight, succeeded, failed, paused, cancelled or held')
    .option('--event-type <type>', 'exact event type, or a prefix ending in * (order.*)')
    .option('--from <time>', 'received at or after this ISO 8601 time')
    .option('--to <time>', 'received before this ISO 8601 time')
    .option('--q <query>', 'payload search: path=value (data.object.id=pi_123), or text in the body');
}

export function filterQuery(options: FilterOptions): Record<string, string | undefined> {
  const { sourceId, destinationId, status, eventType, from, to, q } = options;
  return { sourceId, destinationId, status, eventType, from, to, q };
}

export function positiveInteger(value: string): number {
  const parsed = Number(value);
  if (!Number.isInteger(parsed) || parsed < 1) throw new InvalidArgumentError(`Not a positive integer: ${value}`);
  return parsed;
}
