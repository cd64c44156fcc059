/** Answers of the users, API keys and audit operations (lib/users, lib/auth/manage-api-keys.ts, lib/audit/list-audit.ts). */
import { z } from 'zod';
import { ROLES } from '@/lib/auth/roles';
import { timestamp } from '../responses.schema';

const role = z.enum(ROLES);

const userFields = {
  id: z.string(),
  email: z.string(),
  name: z.string().nullable(),
  role,
  active: z.boolean(),
  createdAt: timestamp,
  lastLoginAt: timestamp.nullable(),
  deactivatedAt: timestamp.nullable(),
};

export const userSchema = z.object(userFields).meta({ id: 'User' });

export const userListItemSchema = z
  .object({
    ...userFields,
    signInMethods: z
      .array(z.enum(['password', 'oidc']))
      .meta({ description: 'How the user can sign in: with a password (they have one), through SSO (they have used it), or both.' }),
  })
  .meta({ id: 'UserListItem' });

export const createdUserSchema = userSchema
  .extend({ password: z.string().optional().meta({ description: 'The generated password, when none was given; in this answer only.' }) })
  .meta({ id: 'CreatedUser' });

export const passwordResetSchema = z
  .object({
    reset: z.literal(true),
    password: z.string().optional().meta({ description: 'The generated password, when none was given; in this answer only.' }),
  })
  .meta({ id: 'PasswordReset' });

export const sessionsRevokedSchema = z.object({ revoked: z.literal(true) }).meta({ id: 'SessionsRevoked' });

export const passwordChangedSchema = z
  .object({
    changed: z.literal(true),
    signedIn: z.boolean().meta({ description: 'Whether this session was re-issued in `Set-Cookie` (false when the request carried no session cookie).' }),
  })
  .meta({ id: 'PasswordChanged' });

export const apiKeySchema = z
  .object({
    id: z.string(),
    name: z.string(),
    prefix: z.string().meta({ description: 'The first characters of the key, to tell keys apart.' }),
    role,
    createdAt: timestamp,
    lastUsedAt: timestamp.nullable(),
    expiresAt: timestamp.nullable(),
    revokedAt: timestamp.nullable(),
    createdBy: z.object({ email: z.string() }).nullable().meta({ description: 'The user who issued it; null for keys issued from the command line.' }),
  })
  .meta({ id: 'ApiKey' });

export const createdApiKeySchema = z
  .object({
    id: z.string(),
    name: z.string(),
    prefix: z.string(),
    role,
    expiresAt: timestamp.nullable(),
    key: z.string().meta({ description: 'The key itself, for `Authorization: Bearer`; in this answer only (it is stored hashed).' }),
  })
  .meta({ id: 'CreatedApiKey' });

export const auditEntrySchema = z
  .object({
    id: z.string(),
    createdAt: timestamp,
    actorType: z.enum(['user', 'api_key', 'system']),
    actorId: z.string().nullable(),
    actorLabel: z.string().meta({ description: "The user's email or the key's name at the time." }),
    action: z.string().meta({ description: 'e.g. `destination.pause`, `secret.reveal`.' }),
    targetType: z.string(),
    targetId: z.string().nullable(),
    before: z.unknown().meta({ description: 'The target before the change (never secret values), or null.' }),
    after: z.unknown().meta({ description: 'The target after the change (never secret values), or null.' }),
    ip: z.string().nullable(),
  })
  .meta({ id: 'AuditEntry' });
