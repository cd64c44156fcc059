import { databaseIsReachable } from '@/lib/db/health';

export const dynamic = 'force-dynamic';

export async function GET() {
  const database = await databaseIsReachable();
  return Response.json(
    { status: database ? 'ok' : 'unavailable', database: database ? 'ok' : 'unreachable' },
    { status: database ? 200 : 503, headers: { 'cache-control': 'no-store', ...(database ? {} : { 'retry-after': '5' }) } },
  );
}
