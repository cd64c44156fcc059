'use client';

import { useMemo, useState } from 'react';
import { JsonTree } from '@/components/json-tree/json-tree';
import { parseJson } from '@/components/json-tree/parse-json';
import { CopyButton } from '@/components/ui/copy-button';
import { formatBytes } from './format';

/** Past this, the tree would cost more than it helps: the raw view only. */
const TREE_LIMIT = 2 * 1024 * 1024;
/** The raw view shows this much text at most; the API has the whole body. */
const RAW_LIMIT = 512 * 1024;

export interface BodyProps {
  encoding: 'utf8' | 'base64';
  data: string;
  size: number;
}

/**
 * A request or response body, as text only. JSON gets a tree (with a toggle to the exact raw
 * text); anything else is shown raw; bytes that are not UTF-8 are shown as base64, and say so.
 */
export function BodyViewer({
  body,
  label,
  searchHref,
  eventId,
  compact = false,
}: {
  body: BodyProps;
  label: string;
  /** Explorer links for `path=value` searches, from the tree's values. */
  searchHref?: boolean;
  /** For the note that points at the API when the raw text is cut. */
  eventId?: string;
  compact?: boolean;
}) {
  const tree = useMemo(() => (body.encoding === 'utf8' && body.data.length <= TREE_LIMIT ? parseJson(body.data) : null), [body]);
  const [view, setView] = useState<'tree' | 'raw'>(tree ? 'tree' : 'raw');
  const rawText = body.data.length > RAW_LIMIT ? body.data.slice(0, RAW_LIMIT) : body.data;

  if (body.size === 0) return <p className="text-sm text-slate-500">Empty body.</p>;

  return (
    <div>
      <div className="mb-2 flex flex-wrap items-center justify-between gap-2">
        {tree ? (
          <div role="group" aria-label={`${label}: view`} className="inline-flex rounded-md shadow-sm ring-1 ring-inset ring-slate-300">
            {(['tree', 'raw'] as const).map((option) => (
              <button
                key={option}
                type="button"
                aria-pressed={view === option}
                onClick={() => setView(option)}
                className={`px-3 py-1 text-xs font-semibold first:rounded-l-md last:rounded-r-md focus-visible:outline-2 focus-visible:outline-indigo-600 ${
                  view === option ? 'bg-slate-800 text-white' : 'bg-white text-slate-700 hover:bg-slate-50'
                }`}
              >
                {option === 'tree' ? 'Tree' : 'Raw'}
              </button>
            ))}
          </div>
        ) : (
          <p className="text-xs text-slate-500">
            {body.encoding === 'base64'
              ? `Not UTF-8 text (binary), so shown as base64 · ${formatBytes(body.size)}`
              : body.data.length > TREE_LIMIT
                ? `Too large for the tree view · ${formatBytes(body.size)}`
                : `Not JSON, shown as sent · ${formatBytes(body.size)}`}
          </p>
        )}
        <CopyButton value={body.data} label={`Copy ${label.toLowerCase()}${body.encoding === 'base64' ? ' (base64)' : ''}`} />
      </div>
      {view === 'tree' && tree ? (
        <div className={`overflow-auto rounded-md bg-slate-50 p-3 ring-1 ring-inset ring-slate-200 ${compact ? 'max-h-72' : 'max-h-[36rem]'}`}>
          <JsonTree root={tree} searchHref={searchHref ? (q) => `/events?q=${encodeURIComponent(q)}` : undefined} />
        </div>
      ) : (
        <pre
          className={`overflow-auto whitespace-pre-wrap break-all rounded-md bg-slate-50 p-3 font-mono text-[13px] leading-5 text-slate-800 ring-1 ring-inset ring-slate-200 ${compact ? 'max-h-72' : 'max-h-[36rem]'}`}
          data-testid="raw-body"
        >
          {rawText}
        </pre>
      )}
      {body.data.length > RAW_LIMIT && view === 'raw' ? (
        <p className="mt-1 text-xs text-slate-500">
          Showing the first {formatBytes(RAW_LIMIT)}.
          {eventId ? (
            <>
              {' '}
              The whole body is in <code className="font-mono">GET /api/v1/events/{eventId}</code>.
            </>
          ) : null}
        </p>
      ) : null}
    </div>
  );
}
