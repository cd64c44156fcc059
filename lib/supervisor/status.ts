/**
 * What the launcher knows about the processes it supervises, in the shape it sends to the web
 * processes (so that /api/health can show restarts and crash loops) and writes to
 * `<data dir>/processes.json` (so that operators and the fault tests can find each pid).
 */
export type ServiceState = 'starting' | 'running' | 'restarting' | 'stopping' | 'stopped';

export interface ServiceStatus {
  name: string;
  state: ServiceState;
  pid: number | null;
  /** When the current process started (ISO), or null while none runs. */
  since: string | null;
  /** Restarts since the launcher started. */
  restarts: number;
  /** Failures in a row without a healthy minute between them. */
  failures: number;
  crashLoop: boolean;
  /** How the last process ended, e.g. "signal SIGKILL" or "code 1", or why it failed to start. */
  lastExit: string | null;
  /** When the next start is due (ISO), while restarting. */
  nextStartAt: string | null;
}

export interface SupervisorStatus {
  launcherPid: number;
  services: ServiceStatus[];
}

/** The one message the launcher sends to the processes it supervises. */
export interface SupervisorStatusMessage {
  type: 'hookyard:supervisor-status';
  status: SupervisorStatus;
}

export function isSupervisorStatusMessage(message: unknown): message is SupervisorStatusMessage {
  return typeof message === 'object' && message !== null && (message as { type?: unknown }).type === 'hookyard:supervisor-status';
}

/** A one-line account of a service that is not simply running, for logs and /api/health. */
export function describeService(service: ServiceStatus): string | null {
  if (service.crashLoop) {
    return `crash loop: exited ${service.failures} times in a row (last: ${service.lastExit ?? 'unknown'}); retrying`;
  }
  if (service.state === 'restarting') return `restarting after ${service.lastExit ?? 'an exit'}`;
  if (service.state === 'starting') return service.restarts > 0 ? `restarting after ${service.lastExit ?? 'an exit'}` : 'starting';
  if (service.state === 'stopping' || service.state === 'stopped') return service.state;
  return null;
}
