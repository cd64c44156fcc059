import { apiRoute } from '@/lib/api/api-route';
import { testTransform } from '@/lib/transforms/test-transform';
import { testTransformSchema } from '@/lib/transforms/transforms.schema';

/** Runs a transform on a stored event and answers {result} or {error}; nothing is sent or stored. Role as for route writes. */
export const POST = apiRoute({ role: 'ADMIN', body: testTransformSchema }, async ({ body }) => testTransform(body));
