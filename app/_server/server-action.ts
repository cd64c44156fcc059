/**
 * The one wrapper for server actions: the same role check as API routes (session only: server
 * actions are called from the dashboard), zod validation, and errors returned as data so that
 * forms can show them. Never trust that the UI hid a button. An action is a POST made with the
 * session cookie, so it must come from the dashboard's own origin (lib/http/same-origin.ts; proxy.ts
 * refuses such requests with a 403 before Next.js decodes them, this is the same rule again where
 * the action runs).
 */
import { headers } from 'next/headers';
import type { z } from 'zod';
import { browserSecuritySettings } from '@/lib/config/browser-security';
import type { Role } from '@/lib/db/generated/enums';
import type { ActionResult } from '@/lib/http/action-result';
import { clientIp } from '@/lib/http/client-ip';
import { toErrorResponse } from '@/lib/http/errors';
import { assertSameOrigin } from '@/lib/http/same-origin';
import { type Principal, requirePrincipal } from '@/lib/auth/principal';

export type { ActionResult };

export function serverAction<Input, Output>(
  role: Role,
  schema: z.ZodType<Input>,
  run: (input: Input, context: { principal: Principal; ip: string | null }) => Promise<Output>,
) {
  return async (raw: unknown): Promise<ActionResult<Output>> => {
    try {
      const requestHeaders = await headers();
      assertSameOrigin('POST', (name) => requestHeaders.get(name), browserSecuritySettings());
      // Server actions are dashboard-only: an Authorization header is ignored here.
      const principal = await requirePrincipal(role);
      const input = schema.parse(raw);
      const data = await run(input, { principal, ip: clientIp(requestHeaders) });
      return { ok: true, data };
    } catch (error) {
      const { body } = toErrorResponse(error);
      // details lists every invalid field (zod), so forms can show each error under its field.
      return { ok: false, error: { code: body.error.code, message: body.error.message, ...(body.error.details ? { details: body.error.details } : {}) } };
    }
  };
}
