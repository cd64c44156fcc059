'use client';

import Link from 'next/link';
import type { MouseEvent } from 'react';
import { OVERVIEW_RANGE_IDS, OVERVIEW_RANGES, type OverviewRange } from '@/lib/overview/overview-ranges';
import { useOverviewNavigation } from './overview-navigation';

interface ScopeOption {
  id: string;
  name: string;
  status: string;
}

export interface OverviewControlsProps {
  range: OverviewRange;
  sourceId: string | null;
  destinationId: string | null;
  sources: ScopeOption[];
  destinations: ScopeOption[];
}

function hrefFor(range: OverviewRange, scope: { sourceId?: string | null; destinationId?: string | null }): string {
  const params = new URLSearchParams();
  params.set('range', range);
  if (scope.sourceId) params.set('sourceId', scope.sourceId);
  else if (scope.destinationId) params.set('destinationId', scope.destinationId);
  return `/?${params.toString()}`;
}

export function OverviewControls({ range, sourceId, destinationId, sources, destinations }: OverviewControlsProps) {
  const { pending, navigate } = useOverviewNavigation();
  const scopeValue = sourceId ? `source:${sourceId}` : destinationId ? `destination:${destinationId}` : '';
  const knownScope = !scopeValue || [...sources.map((s) => `source:${s.id}`), ...destinations.map((d) => `destination:${d.id}`)].includes(scopeValue);

  const onLinkClick = (event: MouseEvent<HTMLAnchorElement>, href: string) => {
    // Let the browser handle new tabs and windows; navigate in place otherwise.
    if (event.metaKey || event.ctrlKey || event.shiftKey || event.altKey || event.button !== 0) return;
    event.preventDefault();
    navigate(href);
  };

  return (
    <div className="flex flex-wrap items-center gap-3">
      <div className="flex items-center gap-2">
        <label htmlFor="overview-scope" className="text-sm text-slate-600">
          Show
        </label>
        <select
          id="overview-scope"
          value={scopeValue}
          onChange={(event) => {
            const [kind, id] = event.target.value.split(':');
            navigate(hrefFor(range, kind === 'source' ? { sourceId: id } : kind === 'destination' ? { destinationId: id } : {}));
          }}
          className="block w-72 rounded-md border-0 bg-white py-1.5 pl-3 pr-8 text-sm text-slate-900 shadow-sm ring-1 ring-inset ring-slate-300 focus:ring-2 focus:ring-inset focus:ring-indigo-600"
        >
          <option value="">All sources and destinations</option>
          {!knownScope ? <option value={scopeValue}>{sourceId ? 'A deleted source' : 'A deleted destination'}</option> : null}
          {sources.length > 0 ? (
            <optgroup label="Source">
              {sources.map((source) => (
                <option key={source.id} value={`source:${source.id}`}>
                  {source.name}
                  {source.status !== 'active' ? ' (disabled)' : ''}
                </option>
              ))}
            </optgroup>
          ) : null}
          {destinations.length > 0 ? (
            <optgroup label="Destination">
              {destinations.map((destination) => (
                <option key={destination.id} value={`destination:${destination.id}`}>
                  {destination.name}
                  {destination.status !== 'active' ? ` (${destination.status})` : ''}
                </option>
              ))}
            </optgroup>
          ) : null}
        </select>
      </div>
      <nav aria-label="Time range">
        <ul className="inline-flex rounded-md bg-white p-0.5 shadow-sm ring-1 ring-inset ring-slate-300">
          {OVERVIEW_RANGE_IDS.map((id) => {
            const href = hrefFor(id, { sourceId, destinationId });
            const active = id === range;
            return (
              <li key={id}>
                <Link
                  href={href}
                  scroll={false}
                  onClick={(event) => onLinkClick(event, href)}
                  aria-current={active ? 'page' : undefined}
                  title={OVERVIEW_RANGES[id].label}
                  className={`block rounded px-3 py-1 text-sm font-medium tabular-nums focus-visible:outline-2 focus-visible:outline-offset-1 focus-visible:outline-indigo-600 ${
                    active ? 'bg-indigo-600 text-white' : 'text-slate-700 hover:bg-slate-100'
                  }`}
                >
                  {/* The short label is what people see; the long one is the link's name (an aria-label
                      that does not contain the visible text fails WCAG 2.5.3, label in name). */}
                  <span aria-hidden="true">{OVERVIEW_RANGES[id].short}</span>
                  <span className="sr-only">{OVERVIEW_RANGES[id].label}</span>
                </Link>
              </li>
            );
          })}
        </ul>
      </nav>
      <span role="status" aria-live="polite" className="w-16 text-xs text-slate-500">
        {pending ? 'Updating…' : ''}
      </span>
    </div>
  );
}
