/** What people send to add or rotate a secret (sources and destinations alike). */
import { z } from 'zod';

export const DEFAULT_GRACE_SECONDS = 86_400;
export const MAX_GRACE_SECONDS = 30 * 86_400;

/**
 * A secret value someone pastes. Surrounding whitespace is removed (a trailing newline from a
 * copy is the usual mistake); zod messages never echo the value.
 */
export const secretValueSchema = z.string().trim().min(1, 'The secret is empty').max(4096, 'The secret is longer than 4096 characters');
const secretLabelSchema = z.string().trim().min(1).max(100);
const graceSecondsSchema = z.number().int().min(0).max(MAX_GRACE_SECONDS, `At most ${MAX_GRACE_SECONDS} seconds (30 days)`);

export const addSecretSchema = z.strictObject({
  /** Generated in the provider's format when absent. */
  value: secretValueSchema.optional(),
  label: secretLabelSchema.optional(),
});
export type AddSecretInput = z.infer<typeof addSecretSchema>;

export const rotateSecretSchema = z.strictObject({
  value: secretValueSchema.optional(),
  label: secretLabelSchema.optional(),
  /** How long the current secrets keep working (default 86400 s; 0 ends them now). */
  graceSeconds: graceSecondsSchema.optional(),
});
export type RotateSecretInput = z.infer<typeof rotateSecretSchema>;
