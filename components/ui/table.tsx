import type { ReactNode, TdHTMLAttributes, ThHTMLAttributes } from 'react';

/**
 * Data tables: a horizontally scrollable frame (so a wide table never widens the page on a laptop
 * screen), a caption for screen readers, and consistent cell padding. Inside a Card, pass
 * `bleed` so the rows run edge to edge.
 */
export function Table({ caption, bleed = false, children }: { caption?: string; bleed?: boolean; children: ReactNode }) {
  return (
    // `relative`: screen-reader-only text inside is positioned here, so it cannot widen the page.
    <div className={`relative overflow-x-auto ${bleed ? '-mx-5' : ''}`}>
      <table className="min-w-full text-sm">
        {caption ? <caption className="sr-only">{caption}</caption> : null}
        {children}
      </table>
    </div>
  );
}

export function THead({ children }: { children: ReactNode }) {
  return (
    <thead className="border-b border-slate-200 text-left text-xs uppercase tracking-wide text-slate-500">
      <tr>{children}</tr>
    </thead>
  );
}

export function Th({ className = '', align = 'left', ...props }: ThHTMLAttributes<HTMLTableCellElement> & { align?: 'left' | 'right' }) {
  return (
    <th
      scope="col"
      {...props}
      className={`whitespace-nowrap px-3 py-2 font-medium first:pl-5 last:pr-5 ${align === 'right' ? 'text-right' : 'text-left'} ${className}`}
    />
  );
}

export function TBody({ children }: { children: ReactNode }) {
  return <tbody className="divide-y divide-slate-100">{children}</tbody>;
}

export function Td({ className = '', align = 'left', ...props }: TdHTMLAttributes<HTMLTableCellElement> & { align?: 'left' | 'right' }) {
  return <td {...props} className={`px-3 py-3 align-middle first:pl-5 last:pr-5 ${align === 'right' ? 'text-right tabular-nums' : ''} ${className}`} />;
}
