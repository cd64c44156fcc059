import { z } from 'zod';
import { MIN_PASSWORD_LENGTH } from '@/lib/auth/password';
import { ROLES } from '@/lib/auth/roles';
import { emailSchema } from '@/lib/auth/email';

export const roleSchema = z.enum(ROLES);

/** A new password: the same rule wherever one is set (user:create, the API, the account page). */
export const newPasswordSchema = z.string().min(MIN_PASSWORD_LENGTH, `Use at least ${MIN_PASSWORD_LENGTH} characters`).max(1024);

export const createUserSchema = z.object({
  email: emailSchema,
  name: z.string().trim().max(200).optional(),
  role: roleSchema,
  /** When absent, a password is generated and returned once. */
  password: newPasswordSchema.optional(),
});
export type CreateUserInput = z.infer<typeof createUserSchema>;

export const updateUserSchema = z
  .object({
    role: roleSchema.optional(),
    active: z.boolean().optional(),
    name: z.string().trim().max(200).nullable().optional(),
  })
  .refine((value) => Object.keys(value).length > 0, 'Nothing to change: send role, active or name');
export type UpdateUserInput = z.infer<typeof updateUserSchema>;

export const changeOwnPasswordSchema = z.object({
  currentPassword: z.string().min(1, 'Enter your current password').max(1024),
  newPassword: newPasswordSchema,
});
export type ChangeOwnPasswordInput = z.infer<typeof changeOwnPasswordSchema>;

export const resetPasswordSchema = z.object({
  /** When absent, a password is generated and returned once. */
  newPassword: newPasswordSchema.optional(),
});
export type ResetPasswordInput = z.infer<typeof resetPasswordSchema>;

export const createApiKeySchema = z.object({
  name: z.string().trim().min(1, 'Give the key a name').max(100),
  role: roleSchema,
  expiresInDays: z.number().int().min(1).max(3650).optional(),
});
export type CreateApiKeyInput = z.infer<typeof createApiKeySchema>;
