'use client';

import { Field } from '@/components/ui/field';

const EXAMPLE = `function transform(event) {
  // event: { eventType, source, headers, body }
  if (event.body.livemode === false) return null; // null skips this destination
  event.headers['x-customer'] = String(event.body.customer);
  event.body = { type: event.eventType, data: event.body.data };
  return event;
}`;

/**
 * The route's transform: JavaScript that defines `transform(event)` (docs/transformations.md),
 * in a monospace editor with the shape spelled out. Whether it compiles is the server's answer
 * at save time (422 with the line), shown under the code.
 */
export function TransformField({ value, onChange, error }: { value: string; onChange: (value: string) => void; error?: string | undefined }) {
  return (
    <Field
      label="Transform (JavaScript, optional)"
      htmlFor="route-transform"
      hint={
        <>
          Define <code className="font-mono">function transform(event) {'{ … return event; }'}</code>. <code className="font-mono">event</code> is{' '}
          <code className="font-mono">{'{ eventType, source, headers, body }'}</code> (body parsed when it is JSON). Return the event to send, with its body and
          headers changed as you like, or <code className="font-mono">null</code> to skip this destination for the event. Runs in a sandbox: no network, files
          or timers, 50 ms of CPU; <code className="font-mono">console.log</code> lines show up when you try it below. Empty: events go out as received.
        </>
      }
    >
      <textarea
        id="route-transform"
        rows={8}
        value={value}
        onChange={(event) => onChange(event.target.value)}
        placeholder={EXAMPLE}
        spellCheck={false}
        autoCapitalize="off"
        autoCorrect="off"
        aria-invalid={error ? true : undefined}
        aria-describedby={error ? 'route-transform-error' : undefined}
        className={`block w-full rounded-md border-0 bg-white px-3 py-2 font-mono text-sm text-slate-900 shadow-sm ring-1 ring-inset placeholder:text-slate-500 focus:ring-2 focus:ring-inset focus:ring-indigo-600 ${error ? 'ring-red-400' : 'ring-slate-300'}`}
      />
      {error ? (
        <p id="route-transform-error" role="alert" className="text-xs font-medium text-red-700" data-testid="transform-error">
          {error}
        </p>
      ) : null}
    </Field>
  );
}
