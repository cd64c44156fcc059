'use client';

import { type ReactNode, useEffect, useId, useRef } from 'react';
import { Button } from './button';

/**
 * A modal on the native <dialog>: focus moves in and is kept there, Escape closes it, the page
 * behind is inert, and focus returns to the element that opened it on close (or to the page's
 * main content when that element is gone), all without a library.
 */
export function Dialog({
  open,
  onClose,
  title,
  description,
  children,
  footer,
  size = 'md',
}: {
  open: boolean;
  onClose: () => void;
  title: string;
  description?: ReactNode;
  children?: ReactNode;
  footer?: ReactNode;
  size?: 'md' | 'lg';
}) {
  const ref = useRef<HTMLDialogElement>(null);
  const opener = useRef<HTMLElement | null>(null);
  const titleId = useId();
  const descriptionId = useId();
  useEffect(() => {
    const dialog = ref.current;
    if (!dialog) return;
    if (open && !dialog.open) {
      opener.current = document.activeElement instanceof HTMLElement && document.activeElement !== document.body ? document.activeElement : null;
      dialog.showModal();
    }
    if (!open && dialog.open) dialog.close();
    if (!open && opener.current) {
      // The browser's own return of focus fails when the dialog's content unmounts first, when
      // the opener was disabled while the action ran, or when React re-rendered it: put focus
      // back ourselves, on the opener if it is still there and enabled, else on the page content.
      const target = opener.current;
      opener.current = null;
      requestAnimationFrame(() => {
        if (target.isConnected && !target.matches(':disabled')) target.focus();
        else document.getElementById('main')?.focus();
      });
    }
  }, [open]);
  // Unmounted while open (e.g. its row went away): the same fallback.
  useEffect(
    () => () => {
      const target = opener.current;
      if (!target) return;
      requestAnimationFrame(() => (target.isConnected && !target.matches(':disabled') ? target : document.getElementById('main'))?.focus());
    },
    [],
  );
  return (
    <dialog
      ref={ref}
      onClose={onClose}
      onCancel={(event) => {
        event.preventDefault();
        onClose();
      }}
      aria-labelledby={titleId}
      aria-describedby={description ? descriptionId : undefined}
      className={`m-auto w-[calc(100%-2rem)] rounded-lg bg-white p-0 text-slate-900 shadow-xl ring-1 ring-slate-200 backdrop:bg-slate-900/40 ${size === 'lg' ? 'max-w-2xl' : 'max-w-lg'}`}
    >
      {open ? (
        <div>
          <header className="border-b border-slate-200 px-5 py-4">
            <h2 id={titleId} className="text-base font-semibold">
              {title}
            </h2>
            {description ? (
              <p id={descriptionId} className="mt-1 text-sm text-slate-500">
                {description}
              </p>
            ) : null}
          </header>
          {children ? <div className="space-y-4 px-5 py-4">{children}</div> : null}
          {footer ? <footer className="flex flex-wrap justify-end gap-2 border-t border-slate-200 bg-slate-50 px-5 py-3">{footer}</footer> : null}
        </div>
      ) : null}
    </dialog>
  );
}

/** "Are you sure?" with the consequence spelled out, for destructive actions. */
export function ConfirmDialog({
  open,
  onClose,
  onConfirm,
  title,
  description,
  confirmLabel,
  pending = false,
  error,
}: {
  open: boolean;
  onClose: () => void;
  onConfirm: () => void;
  title: string;
  description: ReactNode;
  confirmLabel: string;
  pending?: boolean;
  error?: string | null;
}) {
  return (
    <Dialog
      open={open}
      onClose={onClose}
      title={title}
      description={description}
      footer={
        <>
          <Button variant="secondary" onClick={onClose} disabled={pending}>
            Cancel
          </Button>
          <Button variant="danger" onClick={onConfirm} disabled={pending}>
            {pending ? 'Working…' : confirmLabel}
          </Button>
        </>
      }
    >
      {error ? (
        <p role="alert" className="text-sm text-red-700">
          {error}
        </p>
      ) : null}
    </Dialog>
  );
}
