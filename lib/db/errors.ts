/** Small predicates over Prisma's error codes, so callers never compare magic strings. */
function prismaCode(error: unknown): string | undefined {
  if (typeof error === 'object' && error !== null && 'code' in error) {
    const code = (error as { code: unknown }).code;
    return typeof code === 'string' ? code : undefined;
  }
  return undefined;
}

/** A unique constraint was violated (P2002, or Postgres 23505 from raw SQL). */
export function isUniqueViolation(error: unknown): boolean {
  const code = prismaCode(error);
  return code === 'P2002' || code === '23505';
}
