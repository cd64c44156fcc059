import type { Role } from '@/lib/db/generated/enums';

export const ROLES = ['ADMIN', 'SUPPORT', 'VIEWER'] as const satisfies readonly Role[];

const RANK: Record<Role, number> = { VIEWER: 1, SUPPORT: 2, ADMIN: 3 };

/** ADMIN can do what SUPPORT can, and SUPPORT what VIEWER can. */
export function hasRole(actual: Role, required: Role): boolean {
  return RANK[actual] >= RANK[required];
}
