import Link from 'next/link';

export interface StatusTab {
  id: string;
  label: string;
  count?: number;
  href: string;
}

/** Tabs that are links: the selected status lives in the URL, so it can be shared and reloaded. */
export function StatusTabs({ tabs, current, label }: { tabs: StatusTab[]; current: string; label: string }) {
  return (
    <nav aria-label={label} className="mb-4 border-b border-slate-200">
      <ul className="-mb-px flex flex-wrap gap-x-6">
        {tabs.map((tab) => {
          const active = tab.id === current;
          return (
            <li key={tab.id}>
              <Link
                href={tab.href}
                aria-current={active ? 'page' : undefined}
                className={`inline-flex items-center gap-2 border-b-2 px-1 pb-3 pt-1 text-sm font-medium focus-visible:outline-2 focus-visible:outline-indigo-600 ${
                  active ? 'border-indigo-600 text-indigo-700' : 'border-transparent text-slate-600 hover:border-slate-300 hover:text-slate-900'
                }`}
              >
                {tab.label}
                {tab.count !== undefined ? (
                  <span className={`rounded-full px-2 py-0.5 text-xs tabular-nums ${active ? 'bg-indigo-100 text-indigo-700' : 'bg-slate-100 text-slate-600'}`}>
                    {new Intl.NumberFormat('en').format(tab.count)}
                  </span>
                ) : null}
              </Link>
            </li>
          );
        })}
      </ul>
    </nav>
  );
}
