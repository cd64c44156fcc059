import type { Metadata } from 'next';
import Link from 'next/link';
import { Pager } from '@/components/alerts/pager';
import { AuditDiff } from '@/components/audit/audit-diff';
import { AuditFilters } from '@/components/audit/audit-filters';
import { shortIdText } from '@/components/ids/short-id-text';
import { RelativeTime } from '@/components/relative-time';
import { Badge, Notice, PageHeader } from '@/components/ui/card';
import { type AuditFilter, listAudit, listAuditQuerySchema, loadAuditFilterOptions } from '@/lib/audit/list-audit';
import { requireSignedIn } from '@/app/_server/page-guard';

export const metadata: Metadata = { title: 'Audit log' };

const first = (value: string | string[] | undefined) => (Array.isArray(value) ? value[0] : value) || undefined;

/** Pages of the dashboard that show one target, where there is one. */
function targetPage(type: string, id: string | null): string | null {
  if (!id) return null;
  if (type === 'source') return `/sources/${id}`;
  if (type === 'destination') return `/destinations/${id}`;
  if (type === 'event') return `/events/${id}`;
  if (type === 'alert') return '/alerts?status=all';
  if (type === 'user') return '/settings/users';
  if (type === 'api_key') return '/settings/api-keys';
  return null;
}

const ACTOR_TONE = { user: 'indigo', api_key: 'amber', system: 'slate' } as const;
const ACTOR_KIND = { user: 'person', api_key: 'API key', system: 'system' } as const;

export default async function AuditPage({ searchParams }: { searchParams: Promise<Record<string, string | string[] | undefined>> }) {
  await requireSignedIn();
  const params = await searchParams;
  const raw = {
    actor: first(params.actor),
    action: first(params.action),
    targetType: first(params.targetType),
    targetId: first(params.targetId),
    cursor: first(params.cursor),
  };
  const parsed = listAuditQuerySchema.safeParse(raw);
  const query = parsed.success ? parsed.data : listAuditQuerySchema.parse({});
  const [page, options] = await Promise.all([listAudit(query), loadAuditFilterOptions()]);
  const filter: AuditFilter = { actor: query.actor, action: query.action, targetType: query.targetType, targetId: query.targetId };
  const filtered = Object.values(filter).some(Boolean);
  const hrefWith = (changes: Partial<AuditFilter> & { cursor?: string | null }) => {
    const next = new URLSearchParams();
    for (const [key, value] of Object.entries({ ...filter, cursor: undefined, ...changes })) if (value) next.set(key, value);
    const text = next.toString();
    return text ? `/audit?${text}` : '/audit';
  };

  return (
    <>
      <PageHeader
        title="Audit log"
        description="Every change to configuration, secrets, users, API keys, replays and alerts: who made it, when, and what it changed. Every role can read it; entries never contain secret values."
      />
      <AuditFilters key={JSON.stringify(filter)} values={filter} actors={options.actors} actions={options.actions} targetTypes={options.targetTypes} />
      {!parsed.success ? (
        <div className="mb-4">
          <Notice tone="error">{parsed.error.issues[0]?.message ?? 'That filter was not valid'}; showing every entry instead.</Notice>
        </div>
      ) : null}

      {page.data.length === 0 ? (
        <div className="rounded-lg bg-white px-6 py-12 text-center shadow-sm ring-1 ring-slate-200" data-testid="audit-empty">
          <p className="text-base font-medium text-slate-900">{filtered ? 'No entries match these filters' : 'No changes recorded yet'}</p>
          <p className="mx-auto mt-1 max-w-md text-sm text-slate-500">
            {filtered
              ? 'Try another person or action, or clear the filters.'
              : 'Creating a source or destination, rotating a secret, replaying a delivery or handling an alert each leaves an entry here.'}
          </p>
          {filtered ? (
            <Link href="/audit" className="mt-3 inline-block text-sm font-medium text-indigo-700 hover:underline">
              Clear filters
            </Link>
          ) : null}
        </div>
      ) : (
        <div className="overflow-x-auto rounded-lg bg-white shadow-sm ring-1 ring-slate-200">
          <table className="min-w-full text-sm">
            <caption className="sr-only">Audit entries, newest first</caption>
            <thead className="border-b border-slate-200 text-left text-xs uppercase tracking-wide text-slate-500">
              <tr>
                <th scope="col" className="px-5 py-3 font-medium">
                  When
                </th>
                <th scope="col" className="px-3 py-3 font-medium">
                  Who
                </th>
                <th scope="col" className="px-3 py-3 font-medium">
                  What
                </th>
                <th scope="col" className="px-5 py-3 font-medium">
                  Change
                </th>
              </tr>
            </thead>
            <tbody className="divide-y divide-slate-100">
              {page.data.map((entry) => {
                const open = targetPage(entry.targetType, entry.targetId);
                return (
                  <tr key={entry.id} className="align-top" data-testid="audit-row" data-action={entry.action}>
                    <td className="whitespace-nowrap px-5 py-3 text-slate-600">
                      <RelativeTime value={entry.createdAt} />
                      {entry.ip ? <div className="mt-0.5 font-mono text-xs text-slate-500">{entry.ip}</div> : null}
                    </td>
                    <td className="max-w-56 px-3 py-3">
                      <Link
                        href={hrefWith({ actor: entry.actorId ?? (entry.actorType === 'system' ? 'system' : entry.actorLabel) })}
                        className="block break-all font-medium text-slate-800 hover:text-indigo-700 hover:underline"
                        title={`Only entries by ${entry.actorLabel}`}
                      >
                        {entry.actorLabel}
                      </Link>
                      <Badge tone={ACTOR_TONE[entry.actorType]}>{ACTOR_KIND[entry.actorType]}</Badge>
                    </td>
                    <td className="px-3 py-3">
                      <Link
                        href={hrefWith({ action: entry.action })}
                        className="font-mono text-xs font-medium text-slate-900 hover:text-indigo-700 hover:underline"
                        title="Only this action"
                      >
                        {entry.action}
                      </Link>
                      <div className="mt-1 text-xs text-slate-500">
                        <Link
                          href={hrefWith({ targetType: entry.targetType, targetId: entry.targetId ?? undefined })}
                          className="hover:text-indigo-700 hover:underline"
                          title="Only entries about this target"
                        >
                          {entry.targetType}
                          {entry.targetId ? (
                            <span className="font-mono" title={entry.targetId}>
                              {' '}
                              {shortIdText(entry.targetId)}
                            </span>
                          ) : null}
                        </Link>
                        {open ? (
                          <>
                            {' · '}
                            <Link href={open} className="text-indigo-700 hover:underline">
                              open
                            </Link>
                          </>
                        ) : null}
                      </div>
                    </td>
                    <td className="min-w-72 px-5 py-3">
                      <AuditDiff before={entry.before} after={entry.after} />
                    </td>
                  </tr>
                );
              })}
            </tbody>
          </table>
        </div>
      )}
      <Pager
        label="Audit log pages"
        isFirst={!query.cursor}
        firstHref={hrefWith({})}
        nextHref={page.nextCursor ? hrefWith({ cursor: page.nextCursor }) : null}
      />
    </>
  );
}
