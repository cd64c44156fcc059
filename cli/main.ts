/**
 * The `hookyard` CLI (bin/hookyard.mjs runs this through tsx): commander builds the commands,
 * and this file owns the exit code: 0 only on success, 1 for an API or request error (its code
 * and message on stderr), 2 for bad usage, 130 after Ctrl-C. docs/cli.md.
 */
import { Command, CommanderError } from 'commander';
import { registerListen } from './commands/listen';
import { registerLists } from './commands/lists';
import { registerLogin } from './commands/login';
import { registerReplay } from './commands/replay';
import { registerTail } from './commands/tail';
import { CliError, EXIT_ERROR, EXIT_USAGE } from './errors';
import { say } from './output';

export function buildProgram(): Command {
  const program = new Command('hookyard')
    .description('Hookyard from a terminal or a script, over the public JSON API (/api/v1) with an API key.')
    .option(
      '--json',
      'print exactly one JSON document (the API answer) on stdout, or for events tail and listen one JSON object per line; messages stay on stderr',
    )
    .exitOverride()
    .showHelpAfterError('(run with --help for usage)')
    .addHelpText(
      'after',
      `
Credentials: HOOKYARD_URL and HOOKYARD_API_KEY, or what \`hookyard login\` stored.
Output: tables on stdout; --json for scripts; every message and error on stderr.
Exit codes: 0 success, 1 API or request error, 2 bad usage, 130 interrupted (Ctrl-C, which is how
events tail and listen end).

Examples:
  $ hookyard login --url https://hooks.example.com --key hy_…
  $ hookyard events list --status failed --limit 20
  $ hookyard events get 0193… --json
  $ hookyard replay --status failed --destination-id 5b2e… --dry-run
  $ hookyard events tail --event-type 'order.*'
  $ hookyard listen --source stripe-prod --forward http://localhost:3000/api/webhooks`,
    );
  registerLogin(program);
  registerTail(registerLists(program));
  registerReplay(program);
  registerListen(program);
  return program;
}

export async function main(argv: string[]): Promise<number> {
  const program = buildProgram();
  try {
    await program.parseAsync(argv);
    return 0;
  } catch (error) {
    // commander has printed its own message (or the help) already.
    if (error instanceof CommanderError) return error.exitCode === 0 ? 0 : EXIT_USAGE;
    if (error instanceof CliError) {
      say(`hookyard: ${error.message}`);
      return error.exitCode;
    }
    say(`hookyard: unexpected error: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`);
    return EXIT_ERROR;
  }
}
