import type { ReactNode } from 'react';

/** One titled group of fields in a long form: the title and description on the left, the fields on the right. */
export function FormSection({ title, description, children }: { title: string; description?: ReactNode; children: ReactNode }) {
  return (
    <section className="grid gap-x-8 gap-y-4 border-t border-slate-200 py-6 first:border-t-0 first:pt-0 lg:grid-cols-3">
      <div>
        <h2 className="text-sm font-semibold text-slate-900">{title}</h2>
        {description ? <p className="mt-1 text-sm text-slate-500">{description}</p> : null}
      </div>
      <div className="space-y-4 lg:col-span-2">{children}</div>
    </section>
  );
}
