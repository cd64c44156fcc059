import { z } from 'zod';

/**
 * Email addresses as people type them. Deliberately looser than RFC-strict validators: the
 * first admin is `admin@localhost`, which has no dot in its domain.
 */
export const emailSchema = z
  .string()
  .trim()
  .toLowerCase()
  .max(320)
  .regex(/^[^\s@]+@[^\s@]+$/, 'Enter a valid email address');
