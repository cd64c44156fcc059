/**
 * Input schemas of transforms, shared by the route API, the test-transform endpoint and the
 * dashboard's route editor.
 */
import { z } from 'zod';

/** The most code a route may carry. Kept here, not in the sandbox, so that forms do not pull in the WebAssembly engine. */
export const TRANSFORM_SOURCE_BYTES = 64 * 1024;

/** The source of a route's transform: at most 64 KiB. Whether it compiles is checked by the sandbox at save time. */
export const transformSourceSchema = z
  .string()
  .refine((source) => source.trim().length > 0, 'The transform is empty; send null to remove it')
  .refine((source) => Buffer.byteLength(source) <= TRANSFORM_SOURCE_BYTES, `At most ${TRANSFORM_SOURCE_BYTES / 1024} KiB of code`);

export const testTransformSchema = z.strictObject({
  transform: transformSourceSchema,
  eventId: z.string().min(1, 'Name the stored event to run the transform on'),
});
export type TestTransformInput = z.infer<typeof testTransformSchema>;
