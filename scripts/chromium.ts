/**
 * Which Chromium the browser tests and the bench's page timings drive. Playwright cannot download
 * its own browser on these machines, so Debian's is used where it is installed (scripts/ensure-chromium.ts
 * installs it when missing), and Playwright's own elsewhere.
 */
import { existsSync } from 'node:fs';

export const CHROMIUM_CANDIDATES = ['/usr/bin/chromium', '/usr/bin/chromium-browser'];

/** Flags for a headless Chromium on a small server: no sandbox (root), no GPU, no background chatter. */
export const CHROMIUM_ARGS = [
  '--no-sandbox',
  '--disable-gpu',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--disable-quic',
  '--no-first-run',
];

/** Launch options for Playwright: the system Chromium when there is one, else Playwright's default. */
export function chromiumLaunchOptions(): { executablePath: string; args: string[] } | undefined {
  const executablePath = CHROMIUM_CANDIDATES.find((candidate) => existsSync(candidate));
  return executablePath ? { executablePath, args: CHROMIUM_ARGS } : undefined;
}
