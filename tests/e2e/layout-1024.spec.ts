import { expect, type Page, test } from '@playwright/test';
import { dashboardRoutes, fillRoute, seedTraffic, signIn } from './support/dashboard';

/**
 * A support engineer's laptop: 1024x768. No page may scroll sideways, no table may hide columns
 * behind its own scrollbar (the Alerts "Resolve" button was cut off that way), and no short text
 * in a table may be cut to an ellipsis (event types read "cha…").
 */
test.use({ viewport: { width: 1024, height: 768 } });

/** What does not fit on the page as it is: sideways scrolling, a table wider than its frame, short text cut to an ellipsis. */
function layoutProblems(page: Page): Promise<string[]> {
  return page.evaluate(() => {
    const out: string[] = [];
    const root = document.documentElement;
    if (root.scrollWidth > window.innerWidth) out.push(`the page is ${root.scrollWidth}px wide in a ${window.innerWidth}px window`);
    for (const table of document.querySelectorAll('table')) {
      let frame: HTMLElement | null = table.parentElement;
      while (frame && !['auto', 'scroll', 'hidden'].includes(getComputedStyle(frame).overflowX)) frame = frame.parentElement;
      if (frame && frame.scrollWidth > frame.clientWidth + 1) {
        const label = table.querySelector('caption')?.textContent?.trim() || table.querySelector('th')?.textContent?.trim() || 'a table';
        out.push(`"${label}" needs ${frame.scrollWidth}px but has ${frame.clientWidth}px`);
      }
      for (const cell of table.querySelectorAll<HTMLElement>('td *, td')) {
        if (getComputedStyle(cell).textOverflow !== 'ellipsis' || cell.scrollWidth <= cell.clientWidth + 1) continue;
        const text = cell.textContent?.trim() ?? '';
        // Long free text may be cut; short names and event types must not.
        if (text.length <= 40) out.push(`"${text}" is cut to ${cell.clientWidth}px`);
      }
    }
    return out;
  });
}

test('every dashboard page fits 1024x768 without sideways scrolling or clipped tables', async ({ page }) => {
  test.setTimeout(240_000);
  // The sign-in page first, signed out: it is the first page anyone sees on that laptop.
  await page.goto('/login');
  await expect(page.getByRole('heading', { name: 'Sign in to Hookyard', level: 1 })).toBeVisible();
  await page.waitForLoadState('networkidle');
  const problems: string[] = (await layoutProblems(page)).map((problem) => `/login: ${problem}`);

  await signIn(page);
  const traffic = await seedTraffic(page);
  const ids = {
    '/events/[id]': traffic.eventId,
    '/sources/[id]': traffic.sourceId,
    '/destinations/[id]': traffic.destinationId,
    '/alerts/[id]': traffic.alertId,
  };
  const routes = dashboardRoutes();
  expect(routes.length).toBeGreaterThan(10);

  for (const route of routes) {
    const url = fillRoute(route, ids);
    await page.goto(url);
    await expect(page.locator('main h1').first()).toBeVisible();
    await page.waitForLoadState('networkidle');
    if (route === '/failed') {
      // The queue's rows load when a group opens: open them all, so their table is measured too.
      const closed = page.getByTestId('failed-group').getByRole('button', { expanded: false });
      for (let left = await closed.count(); left > 0; left--) await closed.first().click();
      await expect(page.getByTestId('failed-delivery').first()).toBeVisible();
    }
    const found = await layoutProblems(page);
    for (const problem of found) problems.push(`${route}: ${problem}`);
  }
  expect(problems).toEqual([]);

  // The navigation is behind a Menu button at this width, and works from the keyboard.
  await page.goto('/');
  const nav = page.getByRole('navigation', { name: 'Main' });
  await expect(nav).toBeHidden();
  const menu = page.getByRole('button', { name: 'Menu' });
  await menu.focus();
  await page.keyboard.press('Enter');
  await expect(menu).toHaveAttribute('aria-expanded', 'true');
  await expect(nav.getByRole('link', { name: 'Overview' })).toBeFocused();
  await page.keyboard.press('Escape');
  await expect(nav).toBeHidden();
  await expect(menu).toBeFocused();
  await page.keyboard.press('Enter');
  await nav.getByRole('link', { name: 'Events' }).click();
  await expect(page).toHaveURL(/\/events$/);
  await expect(nav).toBeHidden();
});
