'use client';

import Link from 'next/link';
import { createContext, type ReactNode, useContext, useState } from 'react';
import { type JsonNode, searchQueryFor } from './parse-json';

/**
 * A collapsible, colour-coded view of a JSON document. Everything is rendered as text nodes: a
 * payload is data from the internet, and `<img src=x onerror=…>` inside a string must show as
 * those characters, never become markup (no dangerouslySetInnerHTML anywhere here).
 *
 * Objects and arrays open down to OPEN_DEPTH levels at first; "Expand all" / "Collapse all"
 * re-mount the tree in that state. Long lists show CHUNK children at a time. Each scalar can
 * link to an explorer search for that exact value at that path.
 */

const OPEN_DEPTH = 3;
const CHUNK = 100;
/** Lists longer than this start closed even near the top, so a huge array does not flood the page. */
const LARGE = 50;

type Mode = 'default' | 'all' | 'none';

interface TreeSettings {
  mode: Mode;
  /** Builds the explorer link for a `path=value` search; absent means no links. */
  searchHref?: (q: string) => string;
}

const Settings = createContext<TreeSettings>({ mode: 'default' });

function initiallyOpen(mode: Mode, depth: number, size: number): boolean {
  if (mode === 'all') return true;
  if (mode === 'none') return depth === 0;
  return depth < OPEN_DEPTH && (size <= LARGE || depth === 0);
}

function Scalar({ node }: { node: Exclude<JsonNode, { type: 'object' } | { type: 'array' }> }) {
  switch (node.type) {
    case 'string':
      return <span className="break-all text-emerald-700">{JSON.stringify(node.value)}</span>;
    case 'number':
      return <span className="text-sky-700">{node.raw}</span>;
    case 'boolean':
      return <span className="text-amber-700">{String(node.value)}</span>;
    case 'null':
      return <span className="text-slate-500">null</span>;
  }
}

function KeyLabel({ name }: { name: string | number | null }) {
  if (name === null) return null;
  return (
    <>
      {typeof name === 'number' ? <span className="text-slate-500">{name}</span> : <span className="text-violet-700">{JSON.stringify(name)}</span>}
      <span className="text-slate-500">: </span>
    </>
  );
}

function SearchLink({ path, node }: { path: (string | number)[]; node: JsonNode }) {
  const { searchHref } = useContext(Settings);
  if (!searchHref) return null;
  const q = searchQueryFor(path, node);
  if (!q) return null;
  return (
    <Link
      href={searchHref(q)}
      className="ml-2 rounded px-1 text-[11px] font-sans font-medium text-indigo-700 opacity-0 ring-1 ring-indigo-200 group-hover:opacity-100 focus-visible:opacity-100"
      title={`Find events with ${q}`}
      aria-label={`Find events with ${q}`}
    >
      find similar
    </Link>
  );
}

function Node({ node, name, path, depth, last }: { node: JsonNode; name: string | number | null; path: (string | number)[]; depth: number; last: boolean }) {
  const comma = last ? null : <span className="text-slate-500">,</span>;
  if (node.type !== 'object' && node.type !== 'array') {
    return (
      <li className="group pl-5">
        <KeyLabel name={name} />
        <Scalar node={node} />
        {comma}
        <SearchLink path={path} node={node} />
      </li>
    );
  }
  return <Branch node={node} name={name} path={path} depth={depth} comma={comma} />;
}

function Branch({
  node,
  name,
  path,
  depth,
  comma,
}: {
  node: Extract<JsonNode, { type: 'object' } | { type: 'array' }>;
  name: string | number | null;
  path: (string | number)[];
  depth: number;
  comma: ReactNode;
}) {
  const { mode } = useContext(Settings);
  const size = node.type === 'object' ? node.entries.length : node.items.length;
  const [open, setOpen] = useState(() => initiallyOpen(mode, depth, size));
  const [shown, setShown] = useState(CHUNK);
  const [openBracket, closeBracket] = node.type === 'object' ? ['{', '}'] : ['[', ']'];
  const summary = node.type === 'object' ? `${size} ${size === 1 ? 'key' : 'keys'}` : `${size} ${size === 1 ? 'item' : 'items'}`;
  const label = name === null ? 'the whole body' : typeof name === 'number' ? `item ${name}` : name;

  if (size === 0) {
    return (
      <li className="pl-5">
        <KeyLabel name={name} />
        <span className="text-slate-500">
          {openBracket}
          {closeBracket}
        </span>
        {comma}
      </li>
    );
  }

  const children =
    node.type === 'object'
      ? node.entries.slice(0, shown).map(([key, child], index) => ({ key: `${index}:${key}`, name: key as string | number, child }))
      : node.items.slice(0, shown).map((child, index) => ({ key: String(index), name: index as string | number, child }));

  return (
    <li className="relative pl-5">
      <button
        type="button"
        onClick={() => setOpen((value) => !value)}
        aria-expanded={open}
        aria-label={`${open ? 'Collapse' : 'Expand'} ${label}`}
        className="absolute left-0 top-0.5 flex size-4 items-center justify-center rounded text-slate-500 hover:bg-slate-200 hover:text-slate-700 focus-visible:outline-2 focus-visible:outline-indigo-600"
      >
        <svg viewBox="0 0 20 20" fill="currentColor" aria-hidden="true" className={`size-3.5 transition-transform ${open ? 'rotate-90' : ''}`}>
          <path
            fillRule="evenodd"
            d="M7.2 14.8a.75.75 0 0 1 0-1.06L10.94 10 7.2 6.26a.75.75 0 1 1 1.06-1.06l4.27 4.27a.75.75 0 0 1 0 1.06l-4.27 4.27a.75.75 0 0 1-1.06 0Z"
            clipRule="evenodd"
          />
        </svg>
      </button>
      <KeyLabel name={name} />
      <span className="text-slate-500">{openBracket}</span>
      {open ? (
        <>
          <ul>
            {children.map((entry, index) => (
              <Node
                key={entry.key}
                node={entry.child}
                name={entry.name}
                path={[...path, entry.name]}
                depth={depth + 1}
                last={index === children.length - 1 && shown >= size}
              />
            ))}
            {shown < size ? (
              <li className="pl-5">
                <button
                  type="button"
                  onClick={() => setShown((value) => value + CHUNK)}
                  className="rounded px-1 font-sans text-xs font-semibold text-indigo-700 hover:underline focus-visible:outline-2 focus-visible:outline-indigo-600"
                >
                  Show {Math.min(CHUNK, size - shown)} more of {size - shown} hidden
                </button>
              </li>
            ) : null}
          </ul>
          <span className="text-slate-500">{closeBracket}</span>
        </>
      ) : (
        <button
          type="button"
          onClick={() => setOpen(true)}
          className="rounded px-1 text-slate-500 hover:bg-slate-100 hover:text-slate-600"
          tabIndex={-1}
          aria-hidden="true"
        >
          … {summary} {closeBracket}
        </button>
      )}
      {comma}
    </li>
  );
}

export function JsonTree({ root, searchHref }: { root: JsonNode; searchHref?: (q: string) => string }) {
  const [state, setState] = useState<{ mode: Mode; version: number }>({ mode: 'default', version: 0 });
  const expandable = root.type === 'object' || root.type === 'array';
  return (
    <div>
      {expandable ? (
        <div className="mb-2 flex gap-2">
          <button
            type="button"
            onClick={() => setState(({ version }) => ({ mode: 'all', version: version + 1 }))}
            className="rounded-md px-2 py-1 text-xs font-semibold text-slate-700 ring-1 ring-inset ring-slate-300 hover:bg-slate-50 focus-visible:outline-2 focus-visible:outline-indigo-600"
          >
            Expand all
          </button>
          <button
            type="button"
            onClick={() => setState(({ version }) => ({ mode: 'none', version: version + 1 }))}
            className="rounded-md px-2 py-1 text-xs font-semibold text-slate-700 ring-1 ring-inset ring-slate-300 hover:bg-slate-50 focus-visible:outline-2 focus-visible:outline-indigo-600"
          >
            Collapse all
          </button>
        </div>
      ) : null}
      <Settings.Provider value={{ mode: state.mode, searchHref }}>
        <ul key={state.version} className="font-mono text-[13px] leading-6 text-slate-800" data-testid="json-tree">
          <Node node={root} name={null} path={[]} depth={0} last />
        </ul>
      </Settings.Provider>
    </div>
  );
}
