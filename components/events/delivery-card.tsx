import Link from 'next/link';
import { DESTINATION_TYPE_INFO, type DestinationType, isBroker, typeOfUrl } from '@/components/destinations/destination-types';
import { shortIdText } from '@/components/ids/short-id-text';
import { Badge } from '@/components/ui/card';
import { errorKindLabel, statusText } from '@/lib/deliveries/error-label';
import { BodyViewer, type BodyProps } from './body-viewer';
import { DeliveryStatusBadge } from './delivery-status';
import { formatBytes, formatDuration, plural } from './format';
import { HeadersTable } from './headers-table';
import { LocalTime } from './local-time';
import { UpcomingTime } from './upcoming-time';
import { DeliveryActions, type ReplayAction, type RetryAction } from './replay-controls';

export interface AttemptData {
  id: string;
  attemptNumber: number;
  startedAt: Date | string;
  durationMs: number;
  responseStatus: number | null;
  responseHeaders: unknown;
  responseBody: { encoding: 'utf8' | 'base64'; data: string; size: number; truncated: boolean } | null;
  errorKind: string | null;
  errorMessage: string | null;
  /** What Hookyard sent (masked for the reader's role on the server); null for attempts recorded before it was kept, or when nothing was sent. */
  request?: {
    url: string;
    headers: Record<string, string>;
    maskedHeaders: string[];
    /** The route's transform shaped this request (docs/transformations.md): the headers are the transformed ones. */
    transformed?: boolean;
    /** The body as sent when the transform changed it; null: the event's own bytes went out. */
    body?: string | null;
    bodyTruncated?: boolean;
  } | null;
}

/** The event as received, to set a transformed request beside. */
export interface OriginalRequest {
  headers: unknown;
  body: BodyProps;
}

export interface DeliveryData {
  id: string;
  destination: { id: string; name: string; url: string; status: string };
  status: string;
  attemptCount: number;
  nextAttemptAt: Date | string | null;
  /** Set while the destination's open circuit holds it: when the circuit probes next. */
  heldByCircuit?: { nextProbeAt: Date | string } | null;
  lastError: string | null;
  orderingKey: string | null;
  createdAt: Date | string;
  completedAt: Date | string | null;
  replayOf: string | null;
  replayId: string | null;
  replayedBy: string | null;
  replays: { id: string; status: string; createdAt: Date | string; replayedBy: string | null }[];
  attempts: AttemptData[];
}

export interface BlockedBy {
  deliveryId: string;
  eventId: string;
  eventType: string | null;
  status: string;
}

const shortId = (id: string) => shortIdText(id);

/** "skipped: the route's transform returned null" reads as a sentence: "the route's transform returned null." */
function cancelReason(lastError: string): string {
  const reason = lastError.replace(/^skipped:\s*/, '').trim();
  return reason.endsWith('.') ? reason : `${reason}.`;
}

function StatusCode({ code, type, ok }: { code: number | null; type: DestinationType; ok: boolean }) {
  // A broker attempt has no HTTP status: the broker's confirmation is the answer.
  if (code === null && isBroker(type))
    return ok ? <Badge tone="green">{DESTINATION_TYPE_INFO[type].confirmed}</Badge> : <Badge tone="slate">Not confirmed</Badge>;
  if (code === null) return <Badge tone="slate">No response</Badge>;
  const tone = code >= 200 && code < 300 ? 'green' : code >= 400 && code < 500 && code !== 429 ? 'amber' : 'red';
  const text = statusText(code);
  return (
    <span title={text ?? undefined}>
      <Badge tone={tone}>{code}</Badge>
    </span>
  );
}

const chevron = (
  <svg viewBox="0 0 20 20" fill="currentColor" aria-hidden="true" className="size-3.5 transition-transform group-open:rotate-90">
    <path
      fillRule="evenodd"
      d="M7.2 14.8a.75.75 0 0 1 0-1.06L10.94 10 7.2 6.26a.75.75 0 1 1 1.06-1.06l4.27 4.27a.75.75 0 0 1 0 1.06l-4.27 4.27a.75.75 0 0 1-1.06 0Z"
      clipRule="evenodd"
    />
  </svg>
);

const subheading = 'mb-1 text-xs font-semibold uppercase tracking-wide text-slate-500';

/**
 * A transformed request beside the event as received: what the route's transform sent (headers
 * as sent, and the body when the transform changed it) on one side, the original on the other.
 */
function TransformedComparison({ attempt, original }: { attempt: AttemptData; original: OriginalRequest | undefined }) {
  const request = attempt.request!;
  const sentBody: BodyProps | null =
    typeof request.body === 'string' ? { encoding: 'utf8', data: request.body, size: new TextEncoder().encode(request.body).length } : null;
  return (
    <div className="grid gap-4 lg:grid-cols-2" data-testid="transform-comparison">
      <section aria-label={`Transformed by the route, attempt ${attempt.attemptNumber}`} className="min-w-0 space-y-2" data-testid="transformed-request">
        <h5 className="flex items-center gap-2 text-xs font-semibold text-indigo-800">
          <Badge tone="indigo">Transformed by the route</Badge> as sent
        </h5>
        <div>
          <h6 className={subheading}>Headers</h6>
          <HeadersTable headers={request.headers} caption={`Request headers sent in attempt ${attempt.attemptNumber}`} testId="sent-headers" />
        </div>
        <div>
          <h6 className={subheading}>Body</h6>
          {sentBody ? (
            <>
              <BodyViewer body={sentBody} label={`Transformed body of attempt ${attempt.attemptNumber}`} compact />
              {request.bodyTruncated ? <p className="mt-1 text-xs text-slate-500">The first 256 KB of the body sent are kept.</p> : null}
            </>
          ) : (
            <p className="text-sm text-slate-600">Unchanged: the original body went out byte for byte.</p>
          )}
        </div>
      </section>
      <section aria-label={`Original, attempt ${attempt.attemptNumber}`} className="min-w-0 space-y-2" data-testid="original-request">
        <h5 className="flex items-center gap-2 text-xs font-semibold text-slate-700">
          <Badge>Original</Badge> as received
        </h5>
        {original ? (
          <>
            <div>
              <h6 className={subheading}>Headers</h6>
              <HeadersTable headers={original.headers} caption={`Original request headers, beside attempt ${attempt.attemptNumber}`} />
            </div>
            <div>
              <h6 className={subheading}>Body</h6>
              <BodyViewer body={original.body} label={`Original body, beside attempt ${attempt.attemptNumber}`} compact />
            </div>
          </>
        ) : (
          <p className="text-sm text-slate-600">The event&apos;s body and headers are shown below.</p>
        )}
      </section>
    </div>
  );
}

/** The request as Hookyard sent it: the URL and every header, the signature among them; a transformed one beside the original. */
function SentRequest({ attempt, original, type }: { attempt: AttemptData; original: OriginalRequest | undefined; type: DestinationType }) {
  const request = attempt.request;
  if (!request) return null;
  const verb = isBroker(type) ? 'Published to' : 'POST';
  const signature = request.headers['webhook-signature'];
  const transformed = request.transformed === true;
  return (
    <details className="group mt-2 rounded-md ring-1 ring-slate-200 open:bg-white" data-testid="sent-request" data-transformed={transformed} open={transformed}>
      <summary className="flex cursor-pointer list-none items-center gap-2 rounded-md px-3 py-1.5 text-xs font-semibold text-slate-700 hover:bg-slate-50 focus-visible:outline-2 focus-visible:outline-indigo-600">
        {chevron}
        Request sent
        {transformed ? <Badge tone="indigo">Transformed</Badge> : null}
        <span className="min-w-0 truncate font-mono font-normal text-slate-500" title={request.url}>
          {verb} {request.url}
        </span>
      </summary>
      <div className="space-y-3 border-t border-slate-200 px-3 py-3">
        <p className="break-all font-mono text-xs text-slate-700" data-testid="sent-url">
          {verb} {request.url}
        </p>
        {signature ? (
          <p className="text-xs text-slate-600">
            Signed per Standard Webhooks: <code className="break-all font-mono text-slate-800">{signature}</code>
          </p>
        ) : (
          <p className="text-xs text-slate-600">Not signed: the destination had no active signing secret.</p>
        )}
        {transformed ? <TransformedComparison attempt={attempt} original={original} /> : null}
        <div>
          {transformed ? null : (
            <>
              <h5 className={subheading}>Headers</h5>
              <HeadersTable headers={request.headers} caption={`Request headers sent in attempt ${attempt.attemptNumber}`} testId="sent-headers" />
            </>
          )}
          {request.maskedHeaders.length > 0 ? (
            <p className="mt-1 text-xs text-slate-500">
              Masked for your role: {request.maskedHeaders.join(', ')}. The destination&apos;s own header values are shown to admins; the signature to support
              and admins.
            </p>
          ) : null}
        </div>
      </div>
    </details>
  );
}

/** The broker's answer of a confirmed attempt ("added to Redis stream "s" as entry 1-0"), as text. */
function brokerAnswer(attempt: AttemptData, type: DestinationType): string | null {
  if (!isBroker(type) || attempt.errorKind !== null || attempt.responseBody?.encoding !== 'utf8') return null;
  return attempt.responseBody.data || null;
}

function AttemptItem({ attempt, last, original, type }: { attempt: AttemptData; last: boolean; original: OriginalRequest | undefined; type: DestinationType }) {
  const ok = attempt.errorKind === null;
  const answer = brokerAnswer(attempt, type);
  const hasResponse = attempt.responseStatus !== null || attempt.responseBody !== null || attempt.responseHeaders !== null;
  return (
    <li className="relative pb-4 pl-7 last:pb-0" data-testid="attempt" data-status={attempt.responseStatus ?? 'none'}>
      {!last ? <span className="absolute left-[7px] top-5 h-full w-px bg-slate-200" aria-hidden="true" /> : null}
      <span
        className={`absolute left-0 top-1 flex size-4 items-center justify-center rounded-full ring-4 ring-white ${ok ? 'bg-emerald-500' : 'bg-red-500'}`}
        aria-hidden="true"
      >
        <span className="size-1.5 rounded-full bg-white" />
      </span>
      <div className="flex flex-wrap items-center gap-x-3 gap-y-1 text-sm">
        <span className="font-semibold text-slate-900">Attempt {attempt.attemptNumber}</span>
        <StatusCode code={attempt.responseStatus} type={type} ok={ok} />
        <span className="tabular-nums text-slate-600" title="Time to the full response">
          {formatDuration(attempt.durationMs)}
        </span>
        <LocalTime value={attempt.startedAt} format="precise" className="text-xs text-slate-500" />
      </div>
      {!ok ? (
        <p className="mt-1 text-sm text-red-700">
          <span className="font-medium">{errorKindLabel(attempt.errorKind!)}</span>
          {attempt.errorMessage ? <span className="break-all text-red-700/90">: {attempt.errorMessage}</span> : null}
        </p>
      ) : null}
      {attempt.errorKind === 'transform_error' ? (
        <p className="mt-1 text-xs text-slate-600" data-testid="transform-error-hint">
          The route&apos;s transform failed, so nothing was sent and the delivery was not retried. Fix the transform on the route, then retry.
        </p>
      ) : null}
      {!ok && attempt.responseBody ? (
        // What the receiver said is usually the reason: shown at once, not folded behind "HTTP 500".
        <div className="mt-2" data-testid="failure-body">
          <BodyViewer body={attempt.responseBody} label={`Response body of attempt ${attempt.attemptNumber}`} compact />
        </div>
      ) : null}
      {answer ? (
        <p className="mt-1 break-all text-sm text-slate-700" data-testid="broker-answer">
          {answer}
        </p>
      ) : null}
      <SentRequest attempt={attempt} original={original} type={type} />
      {hasResponse ? (
        <details className="group mt-2 rounded-md ring-1 ring-slate-200 open:bg-white">
          <summary className="flex cursor-pointer list-none items-center gap-2 rounded-md px-3 py-1.5 text-xs font-semibold text-slate-700 hover:bg-slate-50 focus-visible:outline-2 focus-visible:outline-indigo-600">
            {chevron}
            {isBroker(type) ? 'Broker answer' : 'Response'}
            <span className="font-normal text-slate-500">
              {attempt.responseBody ? `${formatBytes(attempt.responseBody.size)} body` : 'no body'}
              {attempt.responseHeaders ? ` · ${plural(Object.keys(attempt.responseHeaders as object).length, 'header')}` : ''}
            </span>
          </summary>
          <div className="space-y-3 border-t border-slate-200 px-3 py-3">
            {attempt.responseHeaders ? (
              <div>
                <h5 className="mb-1 text-xs font-semibold uppercase tracking-wide text-slate-500">Headers</h5>
                <HeadersTable headers={attempt.responseHeaders} caption={`Response headers of attempt ${attempt.attemptNumber}`} />
              </div>
            ) : null}
            {!ok && attempt.responseBody ? null : (
              <div>
                <h5 className="mb-1 text-xs font-semibold uppercase tracking-wide text-slate-500">Body</h5>
                {attempt.responseBody ? (
                  <>
                    <BodyViewer body={attempt.responseBody} label="Response body" compact />
                    {attempt.responseBody.truncated ? (
                      <p className="mt-1 text-xs text-slate-500">
                        The first 4 KB of {formatBytes(attempt.responseBody.size)} stored; the delivery&apos;s API view has it all.
                      </p>
                    ) : null}
                  </>
                ) : (
                  <p className="text-sm text-slate-500">No body.</p>
                )}
              </div>
            )}
          </div>
        </details>
      ) : null}
    </li>
  );
}

/**
 * One delivery of an event: where it went, where it stands, what (if anything) it waits for,
 * its replay links, and the timeline of its attempts with each response.
 */
export function DeliveryCard({
  eventId,
  delivery,
  isLatest,
  blockedBy,
  canAct,
  replay,
  retry,
  original,
}: {
  eventId: string;
  delivery: DeliveryData;
  /** The event as received, set beside a request the route's transform changed. */
  original?: OriginalRequest;
  isLatest: boolean;
  blockedBy: BlockedBy | null;
  canAct: boolean;
  replay: ReplayAction;
  retry: RetryAction;
}) {
  const attempts = delivery.attempts;
  return (
    <article
      id={`delivery-${delivery.id}`}
      className="scroll-mt-6 rounded-lg bg-white shadow-sm ring-1 ring-slate-200"
      data-testid="delivery"
      data-destination={delivery.destination.name}
      data-status={delivery.status}
      aria-labelledby={`delivery-${delivery.id}-title`}
    >
      <header className="flex flex-wrap items-start justify-between gap-3 border-b border-slate-200 px-5 py-3">
        <div className="min-w-0">
          <h3 id={`delivery-${delivery.id}-title`} className="flex flex-wrap items-center gap-2 text-sm font-semibold text-slate-900">
            <Link href={`/destinations/${delivery.destination.id}`} className="hover:text-indigo-700 hover:underline">
              {delivery.destination.name}
            </Link>
            <DeliveryStatusBadge status={delivery.status} />
            {delivery.destination.status !== 'active' ? <Badge tone="amber">Destination {delivery.destination.status}</Badge> : null}
            {delivery.replayOf ? <Badge tone="indigo">Replay</Badge> : null}
          </h3>
          <p className="mt-0.5 truncate font-mono text-xs text-slate-500" title={delivery.destination.url}>
            {delivery.destination.url}
          </p>
        </div>
        <DeliveryActions
          eventId={eventId}
          deliveryId={delivery.id}
          destinationId={delivery.destination.id}
          destinationName={delivery.destination.name}
          status={delivery.status}
          isLatest={isLatest}
          allowed={canAct}
          replay={replay}
          retry={retry}
        />
      </header>
      <div className="space-y-4 px-5 py-4">
        <dl className="grid gap-x-6 gap-y-2 text-sm sm:grid-cols-2">
          <div>
            <dt className="text-xs text-slate-500">Created</dt>
            <dd>
              <LocalTime value={delivery.createdAt} relative="inline" />
            </dd>
          </div>
          {delivery.completedAt ? (
            <div>
              <dt className="text-xs text-slate-500">
                {delivery.status === 'succeeded' ? 'Delivered' : delivery.status === 'failed' ? 'Gave up' : 'Finished'}
              </dt>
              <dd>
                <LocalTime value={delivery.completedAt} relative="inline" />
              </dd>
            </div>
          ) : delivery.heldByCircuit ? (
            <div data-testid="held-by-circuit">
              <dt className="text-xs font-medium text-amber-800">Held by the circuit</dt>
              <dd className="text-amber-900">
                next probe at <UpcomingTime value={delivery.heldByCircuit.nextProbeAt} dueText="any moment now (due)" />
              </dd>
            </div>
          ) : delivery.nextAttemptAt ? (
            <div>
              <dt className="text-xs text-slate-500">Next attempt</dt>
              <dd>
                <UpcomingTime
                  value={delivery.nextAttemptAt}
                  dueText={delivery.status === 'paused' ? 'when the destination is resumed' : 'due now, waiting for a worker'}
                />
              </dd>
            </div>
          ) : null}
          <div>
            <dt className="text-xs text-slate-500">Delivery id</dt>
            <dd className="font-mono text-xs text-slate-700">{delivery.id}</dd>
          </div>
          {delivery.orderingKey ? (
            <div>
              <dt className="text-xs text-slate-500">Ordering key</dt>
              <dd className="break-all font-mono text-xs text-slate-700">{delivery.orderingKey}</dd>
            </div>
          ) : null}
          {delivery.replayOf ? (
            <div className="sm:col-span-2">
              <dt className="text-xs text-slate-500">Replays</dt>
              <dd className="text-slate-700">
                <a href={`#delivery-${delivery.replayOf}`} className="font-mono text-xs text-indigo-700 hover:underline">
                  delivery {shortId(delivery.replayOf)}
                </a>
                {delivery.replayedBy ? <span className="text-slate-500"> · asked for by {delivery.replayedBy}</span> : null}
                {delivery.replayId ? (
                  <span className="text-slate-500">
                    {' '}
                    · part of{' '}
                    <Link href={`/failed?replay=${delivery.replayId}`} className="text-indigo-700 hover:underline">
                      bulk replay {shortId(delivery.replayId)}
                    </Link>
                  </span>
                ) : null}
              </dd>
            </div>
          ) : null}
          {delivery.replays.length > 0 ? (
            <div className="sm:col-span-2">
              <dt className="text-xs text-slate-500">Replayed as</dt>
              <dd className="flex flex-wrap gap-x-3 text-slate-700">
                {delivery.replays.map((replay) => (
                  <a key={replay.id} href={`#delivery-${replay.id}`} className="font-mono text-xs text-indigo-700 hover:underline">
                    {shortId(replay.id)} ({replay.status.replace('_', ' ')})
                  </a>
                ))}
              </dd>
            </div>
          ) : null}
        </dl>

        {blockedBy ? (
          <div className="rounded-md bg-amber-50 px-3 py-2 text-sm text-amber-900 ring-1 ring-inset ring-amber-200" data-testid="blocked-by">
            Waiting its turn: deliveries with ordering key <code className="font-mono">{delivery.orderingKey}</code> go out one at a time, and{' '}
            <Link href={`/events/${blockedBy.eventId}#delivery-${blockedBy.deliveryId}`} className="font-semibold underline">
              {blockedBy.eventType ?? 'an earlier event'} (delivery {shortId(blockedBy.deliveryId)}, {blockedBy.status.replace('_', ' ')})
            </Link>{' '}
            must finish first.
          </div>
        ) : null}

        <section aria-label={`Attempts to ${delivery.destination.name}`}>
          <h4 className="mb-2 text-xs font-semibold uppercase tracking-wide text-slate-500">
            {attempts.length === 0 ? 'No attempts yet' : plural(attempts.length, 'attempt')}
          </h4>
          {attempts.length === 0 ? (
            <p className="text-sm text-slate-500">
              {delivery.status === 'paused'
                ? 'Held while the destination is paused; it goes out on resume.'
                : delivery.status === 'cancelled'
                  ? null
                  : 'The worker sends it as soon as it is due.'}
              {delivery.status === 'cancelled' ? (
                <span data-testid="cancel-reason">Cancelled before it was sent{delivery.lastError ? <>: {cancelReason(delivery.lastError)}</> : '.'}</span>
              ) : null}
            </p>
          ) : (
            <ol>
              {attempts.map((attempt, index) => (
                <AttemptItem
                  key={attempt.id}
                  attempt={attempt}
                  last={index === attempts.length - 1}
                  original={original}
                  type={typeOfUrl(delivery.destination.url)}
                />
              ))}
            </ol>
          )}
        </section>
      </div>
    </article>
  );
}
