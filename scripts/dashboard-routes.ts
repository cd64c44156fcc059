/** The dashboard's pages as found on disk: the page-wide browser tests and the bench's page timings visit each. */
import { readdirSync } from 'node:fs';
import path from 'node:path';

/**
 * Every page under app/(dashboard), as a route pattern ("/", "/events/[id]", …). Read from disk
 * so that a page added later is covered without anyone remembering to list it.
 */
export function dashboardRoutes(root = path.join(process.cwd(), 'app', '(dashboard)')): string[] {
  const routes: string[] = [];
  const walk = (dir: string, segments: string[]) => {
    for (const entry of readdirSync(dir, { withFileTypes: true })) {
      if (entry.isDirectory()) {
        // Route groups "(name)" and private folders "_name" add no URL segment / no route.
        if (entry.name.startsWith('_')) continue;
        walk(path.join(dir, entry.name), /^\(.*\)$/.test(entry.name) ? segments : [...segments, entry.name]);
      } else if (/^page\.(tsx|ts|jsx|js)$/.test(entry.name)) {
        routes.push(`/${segments.join('/')}`);
      }
    }
  };
  walk(root, []);
  return routes.sort();
}

/** Fills each dynamic segment ("[id]") from `ids`, keyed by the route with the segment in place. */
export function fillRoute(route: string, ids: Record<string, string>): string {
  if (!route.includes('[')) return route;
  const id = ids[route];
  if (!id) throw new Error(`no id to open ${route}: create one in the test and add it to the map`);
  return route.replace(/\[[^\]]+\]/, id);
}
