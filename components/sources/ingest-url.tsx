import { CopyButton } from '@/components/ui/copy-button';

/**
 * The URL a provider must POST to, with a copy button. Compact (in tables) shows the path, which
 * is what differs between sources; the full URL is in the tooltip and what gets copied.
 */
export function IngestUrl({ url, compact = false }: { url: string; compact?: boolean }) {
  const path = compact ? url.replace(/^https?:\/\/[^/]+/, '') : url;
  return (
    <div className={`flex min-w-0 items-center gap-2 ${compact ? '' : 'rounded-md bg-slate-50 px-3 py-2 ring-1 ring-inset ring-slate-200'}`}>
      <code
        data-testid="ingest-url"
        title={url}
        className={`min-w-0 select-all font-mono text-xs text-slate-800 ${compact ? 'break-all' : 'flex-1 break-all text-sm'}`}
      >
        {path}
      </code>
      <CopyButton value={url} label="Copy ingest URL" iconOnly={compact} />
    </div>
  );
}
