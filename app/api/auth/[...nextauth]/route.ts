import NextAuth from 'next-auth';
import { authOptions } from '@/lib/auth/options';

const handler = (request: Request, context: { params: Promise<{ nextauth: string[] }> }) =>
  NextAuth(request as never, context as never, authOptions({ headers: request.headers }));

export { handler as GET, handler as POST };
