/** "Which secret last matched": remembered in memory and written every few seconds. */
import { BufferedFlusher } from '@/lib/db/buffered-flusher';
import { sql } from '@/lib/db/sql';

const pending = new Set<string>();

async function write(ids: string[]): Promise<void> {
  for (const id of ids) pending.delete(id);
  await sql()`UPDATE secrets SET last_matched_at = now() WHERE id = ANY(${[...new Set(ids)]}::uuid[])`;
}

const globalUsage = globalThis as unknown as { hookyardSecretUsage?: BufferedFlusher<string> };

function flusher(): BufferedFlusher<string> {
  globalUsage.hookyardSecretUsage ??= new BufferedFlusher('secret-usage', 2000, write, 10_000);
  return globalUsage.hookyardSecretUsage;
}

export function noteSecretMatched(secretId: string): void {
  if (pending.has(secretId)) return;
  pending.add(secretId);
  flusher().add(secretId);
}

export function flushSecretUsage(): Promise<void> {
  return flusher().flush();
}
