/**
 * What the database did during a measured window: committed transactions (pg_stat_database, so
 * approximate: backends report their counters within about a second) and the notifications seen
 * on a channel (a LISTEN connection of our own, like a worker's). With the number of events this
 * gives "events per commit", i.e. how well the group commit batches.
 */
import pg from 'pg';
import { DELIVERIES_CHANNEL } from '@/lib/db/channels';

export interface DbActivity {
  seconds: number;
  commits: number;
  notifications: number;
}

export interface DbWatch {
  start(): void;
  end(): void;
  result(): Promise<DbActivity | null>;
  close(): Promise<void>;
}

export async function watchDatabase(url: string, channel = DELIVERIES_CHANNEL): Promise<DbWatch> {
  const client = new pg.Client({ connectionString: url, application_name: 'hookyard-bench-watch' });
  await client.connect();
  await client.query(`LISTEN ${channel}`);
  let counting = false;
  let notifications = 0;
  client.on('notification', () => {
    if (counting) notifications++;
  });
  // The client serialises its queries, so these answer in order, behind nothing but each other.
  const commits = () =>
    client
      .query<{ commits: string }>('SELECT xact_commit AS commits FROM pg_stat_database WHERE datname = current_database()')
      .then((result) => Number(result.rows[0]?.commits ?? 0));
  let startedAt = 0;
  let endedAt = 0;
  let before: Promise<number> | null = null;
  let after: Promise<number> | null = null;
  return {
    start() {
      startedAt = Date.now();
      counting = true;
      before = commits();
    },
    end() {
      endedAt = Date.now();
      counting = false;
      after = commits();
    },
    async result() {
      if (!before || !after) return null;
      const [first, last] = await Promise.all([before, after]);
      return { seconds: (endedAt - startedAt) / 1000, commits: last - first, notifications };
    },
    async close() {
      await client.end().catch(() => undefined);
    },
  };
}
