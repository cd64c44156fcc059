import { headers } from 'next/headers';
import { config } from '@/lib/config/env';

/**
 * The base of ingest URLs as the pages show them: `HOOKYARD_PUBLIC_URL`, else the origin this
 * page was requested on (what `ingestBaseUrl(request)` does for the JSON API).
 */
export async function requestBaseUrl(): Promise<string> {
  const { publicUrl, trustProxy } = config();
  if (publicUrl) return publicUrl;
  const list = await headers();
  const proto = (trustProxy ? list.get('x-forwarded-proto')?.split(',')[0]?.trim() : undefined) ?? 'http';
  const host = (trustProxy ? list.get('x-forwarded-host') : undefined) ?? list.get('host') ?? 'localhost';
  return `${proto}://${host}`;
}
