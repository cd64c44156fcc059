/**
 * The CLI's failures and their exit codes: 1 for an error of the API or of what was asked
 * (the API's code and message are printed), 2 for bad usage (commander's own errors), 130 for
 * Ctrl-C. main.ts turns them into one line on stderr; nothing goes to stdout.
 */
export const EXIT_ERROR = 1;
export const EXIT_USAGE = 2;
export const EXIT_INTERRUPTED = 130;

export class CliError extends Error {
  constructor(
    message: string,
    readonly exitCode: number = EXIT_ERROR,
  ) {
    super(message);
  }
}

/** An answer of the API that is not a success, with its `{"error": {"code", "message"}}`. */
export class ApiError extends CliError {
  constructor(
    readonly status: number,
    readonly code: string,
    readonly apiMessage: string,
    readonly details?: unknown,
  ) {
    super(describe(status, code, apiMessage));
  }
}

function describe(status: number, code: string, message: string): string {
  if (status === 401) {
    return `The API key was refused (401 ${code}: ${message}). Check HOOKYARD_API_KEY, or run hookyard login with a valid key.`;
  }
  if (status === 403) return `The API key's role may not do this (403 ${code}: ${message}).`;
  if (status === 404) return `Not found (404 ${code}): ${message}`;
  return `${status} ${code}: ${message}`;
}
