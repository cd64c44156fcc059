/**
 * Page to content-visible, in headless Chromium: what a person waits for when they open a
 * dashboard page. Each visit is a full navigation (a new document, as when following a link from
 * another tab or reloading), timed from just before `goto` until the page's main region holds
 * text and no loading placeholder (`.animate-pulse`, the skeletons and the charts' placeholders)
 * is left in it. One signed-in browser context; pages are visited one at a time.
 */
import { chromium } from '@playwright/test';
import { chromiumLaunchOptions } from '@/scripts/chromium';

export interface PageToTime {
  /** The route as on disk, e.g. `/events/[id]`: the figure's name. */
  route: string;
  /** What to open, with dynamic segments filled in. */
  url: string;
}

export interface PageTiming {
  route: string;
  p50: number;
  p95: number;
  max: number;
  samples: number;
  failures: string[];
}

/** Resolves when the main region shows content and nothing in it is still loading. */
const CONTENT_VISIBLE = () => {
  const main = document.querySelector('main');
  return !!main && main.innerText.trim().length > 0 && !main.querySelector('.animate-pulse') && !main.querySelector('[aria-busy="true"]');
};

const round = (value: number) => Math.round(value * 10) / 10;

export async function timePages(options: {
  baseUrl: string;
  email: string;
  password: string;
  pages: PageToTime[];
  warmup: number;
  count: number;
  checkStopped: () => void;
}): Promise<PageTiming[]> {
  const browser = await chromium.launch({ headless: true, ...chromiumLaunchOptions() });
  try {
    const context = await browser.newContext({ baseURL: options.baseUrl, viewport: { width: 1280, height: 800 } });
    const page = await context.newPage();
    await page.goto('/login');
    await page.getByLabel('Email').fill(options.email);
    await page.getByLabel('Password').fill(options.password);
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.waitForURL((url) => !url.pathname.startsWith('/login'), { timeout: 30_000 });

    const timings: PageTiming[] = [];
    for (const target of options.pages) {
      const latencies: number[] = [];
      const failures: string[] = [];
      for (let i = 0; i < options.warmup + options.count; i++) {
        options.checkStopped();
        const started = performance.now();
        try {
          const response = await page.goto(target.url, { waitUntil: 'commit', timeout: 30_000 });
          if (response && response.status() >= 400) throw new Error(`HTTP ${response.status()}`);
          await page.waitForFunction(CONTENT_VISIBLE, null, { polling: 'raf', timeout: 15_000 });
          if (i >= options.warmup) latencies.push(performance.now() - started);
        } catch (error) {
          failures.push(`${target.url}: ${error instanceof Error ? error.message.split('\n')[0] : String(error)}`);
        }
      }
      latencies.sort((a, b) => a - b);
      const at = (p: number) => (latencies.length ? round(latencies[Math.min(latencies.length - 1, Math.ceil(p * latencies.length) - 1)]!) : Number.NaN);
      timings.push({ route: target.route, p50: at(0.5), p95: at(0.95), max: at(1), samples: latencies.length, failures });
    }
    return timings;
  } finally {
    await browser.close();
  }
}

/** `/events/[id]` → `events_id`, `/` → `overview`: a figure name. */
export function pageFigureName(route: string): string {
  if (route === '/') return 'overview';
  return route
    .slice(1)
    .replace(/\[([^\]]+)\]/g, '$1')
    .replace(/[^a-z0-9]+/gi, '_');
}
