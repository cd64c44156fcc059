import { defineConfig, devices } from '@playwright/test';
import { chromiumLaunchOptions } from './scripts/chromium';

const port = Number(process.env.E2E_PORT ?? 3100);

export default defineConfig({
  testDir: 'tests/e2e',
  outputDir: 'test-results/e2e',
  fullyParallel: false,
  workers: 1,
  retries: process.env.CI ? 1 : 0,
  timeout: 60_000,
  reporter: process.env.CI ? [['list']] : [['list'], ['html', { open: 'never', outputFolder: 'playwright-report' }]],
  use: {
    baseURL: `http://127.0.0.1:${port}`,
    // The JSON API refuses cookie-carried changes that do not show the dashboard's own origin
    // (docs/security.md); Playwright's request helpers (page.request) send no Origin of their own,
    // so the tests' API calls say where they come from, as the dashboard's pages do. The
    // cross-origin tests (security-browser.spec.ts) open contexts without it.
    extraHTTPHeaders: { origin: `http://127.0.0.1:${port}` },
    trace: 'retain-on-failure',
    screenshot: 'only-on-failure',
    launchOptions: chromiumLaunchOptions(),
  },
  projects: [{ name: 'chromium', use: { ...devices['Desktop Chrome'] } }],
  webServer: {
    command: 'node node_modules/tsx/dist/cli.mjs tests/e2e/support/start-server.ts',
    // The sign-in page, not /api/health: the web processes answer health checks (and ingest)
    // before the Next.js process is ready.
    url: `http://127.0.0.1:${port}/login`,
    timeout: 600_000,
    reuseExistingServer: false,
    stdout: 'pipe',
    stderr: 'pipe',
    // The worker may take up to 25 s to finish its sends, the web processes 10 s to drain.
    gracefulShutdown: { signal: 'SIGINT', timeout: 60_000 },
    env: { E2E_PORT: String(port) },
  },
});
