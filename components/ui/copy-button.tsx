'use client';

import { useEffect, useState } from 'react';

async function writeClipboard(text: string): Promise<boolean> {
  try {
    if (navigator.clipboard && window.isSecureContext) {
      await navigator.clipboard.writeText(text);
      return true;
    }
  } catch {
    // Denied (e.g. no focus or permission): fall back to a selection copy below.
  }
  const area = document.createElement('textarea');
  area.value = text;
  area.setAttribute('readonly', '');
  area.style.position = 'fixed';
  area.style.opacity = '0';
  document.body.appendChild(area);
  area.select();
  let ok = false;
  try {
    ok = document.execCommand('copy');
  } catch {
    ok = false;
  }
  area.remove();
  return ok;
}

/**
 * Copies `value` to the clipboard, says so for two seconds (announced to screen readers), and
 * works on plain-HTTP deployments where the async clipboard API is missing. `iconOnly` for tight
 * spots such as table cells: the icon turns into a check mark.
 */
export function CopyButton({
  value,
  label = 'Copy',
  iconOnly = false,
  className = '',
}: {
  value: string;
  label?: string;
  iconOnly?: boolean;
  className?: string;
}) {
  const [state, setState] = useState<'idle' | 'copied' | 'failed'>('idle');
  useEffect(() => {
    if (state === 'idle') return;
    const timer = setTimeout(() => setState('idle'), 2000);
    return () => clearTimeout(timer);
  }, [state]);
  return (
    <button
      type="button"
      onClick={() => void writeClipboard(value).then((ok) => setState(ok ? 'copied' : 'failed'))}
      title={iconOnly ? (state === 'copied' ? 'Copied' : label) : undefined}
      className={`inline-flex shrink-0 items-center gap-1.5 rounded-md bg-white ${iconOnly ? 'p-1.5' : 'px-2.5 py-1.5'} text-xs font-semibold text-slate-700 shadow-sm ring-1 ring-inset ring-slate-300 hover:bg-slate-50 focus-visible:outline-2 focus-visible:outline-offset-2 focus-visible:outline-indigo-600 ${className}`}
      aria-label={label}
    >
      <svg viewBox="0 0 20 20" fill="currentColor" className="size-3.5" aria-hidden="true">
        {state === 'copied' ? (
          <path
            fillRule="evenodd"
            d="M16.7 5.3a1 1 0 0 1 0 1.4l-8 8a1 1 0 0 1-1.4 0l-4-4a1 1 0 1 1 1.4-1.4L8 12.6l7.3-7.3a1 1 0 0 1 1.4 0Z"
            clipRule="evenodd"
          />
        ) : (
          <path d="M7 3.5A1.5 1.5 0 0 1 8.5 2h3.38a1.5 1.5 0 0 1 1.06.44l3.12 3.12a1.5 1.5 0 0 1 .44 1.06v5.88a1.5 1.5 0 0 1-1.5 1.5h-1V9.62a3 3 0 0 0-.88-2.12L9.5 4.38A3 3 0 0 0 7.38 3.5H7ZM4.5 5A1.5 1.5 0 0 0 3 6.5v10A1.5 1.5 0 0 0 4.5 18h7a1.5 1.5 0 0 0 1.5-1.5V9.62a1.5 1.5 0 0 0-.44-1.06L9.44 5.44A1.5 1.5 0 0 0 8.38 5H4.5Z" />
        )}
      </svg>
      <span className={iconOnly ? 'sr-only' : 'inline-block min-w-[2.6rem] text-left'} aria-live="polite">
        {state === 'copied' ? 'Copied' : state === 'failed' ? 'Press ⌘C' : 'Copy'}
      </span>
    </button>
  );
}
