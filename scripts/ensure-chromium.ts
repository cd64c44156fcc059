/**
 * Before the browser tests: Playwright cannot download its own browser on these machines, so the
 * tests use Debian's Chromium (playwright.config.ts). When it is missing and we may install
 * packages (root, apt-get present), install it, as CI does; otherwise say how, and fail.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { CHROMIUM_CANDIDATES } from './chromium';

/** A browser `npx playwright install chromium` put in Playwright's cache. */
function playwrightsOwn(): boolean {
  const cache = process.env.PLAYWRIGHT_BROWSERS_PATH ?? path.join(os.homedir(), '.cache', 'ms-playwright');
  try {
    return readdirSync(cache).some((entry) => entry.startsWith('chromium'));
  } catch {
    return false;
  }
}

if (!CHROMIUM_CANDIDATES.some((candidate) => existsSync(candidate)) && !playwrightsOwn()) {
  const canInstall = process.getuid?.() === 0 && spawnSync('apt-get', ['--version'], { stdio: 'ignore' }).status === 0;
  if (!canInstall) {
    console.error('The browser tests need Chromium: `sudo apt-get install -y chromium` (Debian/Ubuntu), or `npx playwright install chromium` elsewhere.');
    process.exit(1);
  }
  console.log("Installing Debian's Chromium for the browser tests (apt-get install -y chromium); this happens once");
  const env = { ...process.env, DEBIAN_FRONTEND: 'noninteractive' };
  for (const args of [
    ['update', '-qq'],
    ['install', '-y', '-qq', 'chromium'],
  ]) {
    const result = spawnSync('apt-get', args, { stdio: ['ignore', 'ignore', 'inherit'], env });
    if (result.status !== 0) {
      console.error(`apt-get ${args.join(' ')} failed (exit ${result.status}); install Chromium yourself: apt-get install -y chromium`);
      process.exit(1);
    }
  }
}
