/**
 * Ctrl-C for commands that run until stopped (`events tail`, `listen`): SIGINT aborts the signal,
 * the command finishes what it is doing (a listen forward is aborted too) and exits 130, the exit
 * code docs/cli.md gives to an interruption, after an "interrupted" line on stderr.
 */
import { CliError, EXIT_INTERRUPTED } from './errors';

export interface Interruption {
  signal: AbortSignal;
  /** Throws the 130 CliError when Ctrl-C was pressed; always stops listening for it. */
  finish(): void;
}

export function onInterrupt(): Interruption {
  const controller = new AbortController();
  const abort = () => controller.abort();
  process.once('SIGINT', abort);
  return {
    signal: controller.signal,
    finish() {
      process.off('SIGINT', abort);
      if (controller.signal.aborted) throw new CliError('interrupted', EXIT_INTERRUPTED);
    },
  };
}
