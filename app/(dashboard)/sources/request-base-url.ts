import { headers } from 'next/headers';
import { publicBaseUrl } from '@/lib/http/public-url';

/** The base of ingest URLs as the pages show them (lib/http/public-url.ts, from this page's request headers). */
export async function requestBaseUrl(): Promise<string> {
  const list = await headers();
  return publicBaseUrl((name) => list.get(name));
}
