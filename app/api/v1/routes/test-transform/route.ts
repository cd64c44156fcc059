import { operations } from '@/lib/api/operations';
import { apiRoute } from '@/lib/api/api-route';
import { testTransform } from '@/lib/transforms/test-transform';

/** Runs a transform on a stored event and answers {result} or {error}; nothing is sent or stored. Role as for route writes. */
export const POST = apiRoute(operations.testTransform, async ({ body }) => testTransform(body));
