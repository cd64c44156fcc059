import type { Role } from '@/lib/db/generated/enums';

export function Forbidden({ required, actual }: { required: Role; actual: Role }) {
  return (
    <div role="alert" className="mx-auto mt-16 max-w-md rounded-lg bg-white p-8 text-center shadow-sm ring-1 ring-slate-200">
      <p className="text-sm font-semibold text-red-700">403 · Not allowed</p>
      <h1 className="mt-2 text-xl font-semibold">This page needs the {required} role</h1>
      <p className="mt-2 text-sm text-slate-500">You are signed in as {actual}. Ask an admin to change your role if you need access.</p>
    </div>
  );
}
