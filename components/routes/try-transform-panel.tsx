'use client';

import { useEffect, useState, useTransition } from 'react';
import { BodyViewer } from '@/components/events/body-viewer';
import { HeadersTable } from '@/components/events/headers-table';
import { shortIdText } from '@/components/ids/short-id-text';
import { Button } from '@/components/ui/button';
import { Badge, Notice } from '@/components/ui/card';
import { Field, Select } from '@/components/ui/field';
import type { RecentEvent } from '@/lib/events/recent-events';
import type { ActionResult } from '@/lib/http/action-result';
import type { TestTransformAnswer } from '@/lib/transforms/test-transform';

/** The two server actions the panel calls (app/(dashboard)/destinations/actions.ts); passed in so that components/ never imports app/. */
export interface TryTransformActions {
  recentEvents: (input: { sourceId: string }) => Promise<ActionResult<RecentEvent[]>>;
  testTransform: (input: { transform: string; eventId: string }) => Promise<ActionResult<TestTransformAnswer>>;
}

/** Events arrive as JSON from a server action: dates as strings. */
type RecentEventRow = Omit<RecentEvent, 'receivedAt'> & { receivedAt: Date | string };

function eventLabel(event: RecentEventRow): string {
  const received = new Date(event.receivedAt);
  const time = received.toLocaleString(undefined, { month: 'short', day: 'numeric', hour: '2-digit', minute: '2-digit', second: '2-digit' });
  return `${event.eventType ?? 'no type'} · ${shortIdText(event.id, event.dedupKey)} · ${time}`;
}

function Logs({ logs }: { logs: string[] }) {
  if (logs.length === 0) return <p className="text-xs text-slate-500">Nothing logged.</p>;
  return (
    <pre
      className="max-h-40 overflow-auto whitespace-pre-wrap break-all rounded bg-slate-900 p-2 font-mono text-xs text-slate-100"
      data-testid="transform-logs"
      aria-label="Captured console.log lines"
      tabIndex={0}
    >
      {logs.join('\n')}
    </pre>
  );
}

function Outcome({ answer }: { answer: TestTransformAnswer }) {
  const timing = <span className="text-xs tabular-nums text-slate-500">{answer.durationMs} ms</span>;
  if ('error' in answer) {
    return (
      <div className="space-y-2" data-testid="transform-test-error">
        <Notice tone="error">
          <span className="font-medium">Transform error{answer.error.line !== null ? ` on line ${answer.error.line}` : ''}:</span> {answer.error.message}
        </Notice>
        <div className="flex items-center justify-between">
          <h4 className="text-xs font-semibold uppercase tracking-wide text-slate-500">Logs</h4>
          {timing}
        </div>
        <Logs logs={answer.logs} />
      </div>
    );
  }
  return (
    <div className="space-y-3" data-testid="transform-test-result">
      {answer.sent === null ? (
        <Notice tone="info">The transform returned null: this destination would be skipped for this event (the delivery ends cancelled).</Notice>
      ) : (
        <>
          <div className="flex flex-wrap items-center gap-2">
            <p className="text-sm font-medium text-slate-800">What would be sent</p>
            {answer.sent.bodyChanged ? <Badge tone="indigo">Body changed</Badge> : <Badge>Original body, byte for byte</Badge>}
            {timing}
          </div>
          <div>
            <h4 className="mb-1 text-xs font-semibold uppercase tracking-wide text-slate-500">Headers</h4>
            <HeadersTable headers={answer.sent.headers} caption="Headers the transform would send" testId="transform-sent-headers" />
            <p className="mt-1 text-xs text-slate-500">
              Hookyard&apos;s own headers, the destination&apos;s headers and the signature are added when it is sent.
            </p>
          </div>
          <div data-testid="transform-sent-body">
            <h4 className="mb-1 text-xs font-semibold uppercase tracking-wide text-slate-500">Body</h4>
            <BodyViewer
              body={{ encoding: 'utf8', data: answer.sent.body, size: new TextEncoder().encode(answer.sent.body).length }}
              label="Body the transform would send"
              compact
            />
          </div>
        </>
      )}
      <div>
        <h4 className="mb-1 text-xs font-semibold uppercase tracking-wide text-slate-500">Logs</h4>
        <Logs logs={answer.logs} />
      </div>
    </div>
  );
}

/**
 * "Try it on a recent event": runs the editor's unsaved transform on one of the source's newest
 * events, through the same sandbox pool the worker uses, and shows what would be sent (or the
 * error and its line) with the captured logs. Nothing is sent or stored.
 */
export function TryTransformPanel({ sourceId, transform, actions }: { sourceId: string; transform: string; actions: TryTransformActions }) {
  const [events, setEvents] = useState<RecentEventRow[] | null>(null);
  const [eventId, setEventId] = useState('');
  const [answer, setAnswer] = useState<TestTransformAnswer | null>(null);
  const [failure, setFailure] = useState<string | null>(null);
  const [running, startRun] = useTransition();
  const { recentEvents, testTransform } = actions;

  useEffect(() => {
    if (!sourceId) return;
    let current = true;
    void recentEvents({ sourceId }).then((result) => {
      if (!current) return;
      if (!result.ok) {
        setFailure(result.error.message);
        return;
      }
      setEvents(result.data);
      setEventId(result.data[0]?.id ?? '');
      setAnswer(null);
    });
    return () => {
      current = false;
    };
  }, [sourceId, recentEvents]);

  function run() {
    setFailure(null);
    startRun(async () => {
      const result = await testTransform({ transform, eventId });
      if (!result.ok) {
        setAnswer(null);
        setFailure(result.error.message);
        return;
      }
      setAnswer(result.data);
    });
  }

  const empty = transform.trim() === '';
  return (
    <section aria-labelledby="try-transform-title" className="rounded-md bg-slate-50 p-3 ring-1 ring-inset ring-slate-200" data-testid="try-transform">
      <h3 id="try-transform-title" className="mb-2 text-sm font-semibold text-slate-800">
        Try it on a recent event
      </h3>
      {events === null ? (
        <p className="text-sm text-slate-500">{failure ?? 'Loading recent events…'}</p>
      ) : events.length === 0 ? (
        <p className="text-sm text-slate-500">Nothing to try it on: no event from this source is stored. Send a test event from the source page first.</p>
      ) : (
        <div className="space-y-3">
          <div className="flex flex-wrap items-end gap-2">
            <div className="min-w-0 flex-1">
              <Field label="Event" htmlFor="try-transform-event">
                <Select id="try-transform-event" value={eventId} onChange={(event) => setEventId(event.target.value)}>
                  {events.map((event) => (
                    <option key={event.id} value={event.id}>
                      {eventLabel(event)}
                    </option>
                  ))}
                </Select>
              </Field>
            </div>
            <Button
              variant="secondary"
              disabled={running || empty || !eventId}
              onClick={run}
              title={empty ? 'Write a transform first' : undefined}
              className="shrink-0 whitespace-nowrap"
            >
              {running ? 'Running…' : 'Run transform'}
            </Button>
          </div>
          <div aria-live="polite" className={running ? 'opacity-60' : undefined}>
            {failure ? <Notice tone="error">{failure}</Notice> : null}
            {answer ? <Outcome answer={answer} /> : null}
          </div>
        </div>
      )}
    </section>
  );
}
