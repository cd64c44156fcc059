/** The production build, as `npm start` makes it: `next build` only when the sources changed. */
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { buildIsCurrent, stampFor } from '@/lib/config/build-stamp';
import { ROOT, runCommand } from './processes';

export async function ensureBuild(env: NodeJS.ProcessEnv, log: (line: string) => void): Promise<'current' | 'built'> {
  if (buildIsCurrent(ROOT)) return 'current';
  log('the production build is missing or stale: running next build');
  // Hash before building, as scripts/start.ts does: an edit during the build makes the next run rebuild.
  const stamp = stampFor(ROOT);
  const code = await runCommand('next build', process.execPath, [path.join(ROOT, 'node_modules/next/dist/bin/next'), 'build'], {
    ...env,
    NODE_ENV: 'production',
  });
  if (code !== 0) throw new Error(`next build failed (exit code ${code}); see the output above`);
  writeFileSync(stamp.file, stamp.hash);
  return 'built';
}
