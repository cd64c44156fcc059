/**
 * `hookyard login --url URL --key KEY`: checks the key with a real call (GET /api/v1/sources,
 * which any role may make) before storing it, so a typo is found now and not at the next command.
 */
import type { Command } from 'commander';
import { ApiClient } from '../client';
import { normalizeUrl, saveCredentials } from '../config';
import { printJson, say } from '../output';
import { contextOf } from './context';

export function registerLogin(program: Command): void {
  program
    .command('login')
    .description('Check an API key against a Hookyard and store the URL and key in your config directory (mode 0600)')
    .requiredOption('--url <url>', 'the Hookyard base URL, e.g. https://hooks.example.com')
    .requiredOption('--key <key>', 'an API key (Settings → API keys, or npm run apikey:create)')
    .addHelpText(
      'after',
      `
Stored in $XDG_CONFIG_HOME/hookyard/config.json (or ~/.config/hookyard/config.json).
HOOKYARD_URL and HOOKYARD_API_KEY, when set, override what is stored.

Example:
  $ hookyard login --url https://hooks.example.com --key hy_live_…`,
    )
    .action(async (options: { url: string; key: string }, command: Command) => {
      const { json } = contextOf(command);
      const credentials = { url: normalizeUrl(options.url), key: options.key };
      const sources = await new ApiClient(credentials).request<{ data: unknown[] }>('GET', '/sources');
      const file = await saveCredentials(credentials);
      if (json) printJson({ url: credentials.url, configFile: file, sources: sources.data.length });
      else say(`Logged in to ${credentials.url} (${sources.data.length} sources visible). Stored in ${file}.`);
    });
}
