/**
 * "Build if needed": a hash of everything that goes into `next build`, stored beside the build.
 * `npm start` rebuilds when the hash differs or there is no build.
 */
import { createHash } from 'node:crypto';
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';

const INPUTS = [
  'app',
  'components',
  'lib',
  'public',
  'proxy.ts',
  'next.config.js',
  'postcss.config.mjs',
  'tsconfig.json',
  'package-lock.json',
  'prisma/schema.prisma',
];

function collect(root: string, relative: string, out: string[]) {
  const full = path.join(root, relative);
  if (!existsSync(full)) return;
  if (statSync(full).isDirectory()) {
    for (const entry of readdirSync(full).sort()) collect(root, path.join(relative, entry), out);
  } else {
    out.push(relative);
  }
}

export function sourceHash(root: string): string {
  const files: string[] = [];
  for (const input of INPUTS) collect(root, input, files);
  const hash = createHash('sha256');
  for (const file of files) {
    hash.update(file);
    hash.update(readFileSync(path.join(root, file)));
  }
  return hash.digest('hex');
}

const STAMP = path.join('.next', 'hookyard-source-hash');

export function buildIsCurrent(root: string): boolean {
  const stamp = path.join(root, STAMP);
  return existsSync(path.join(root, '.next', 'BUILD_ID')) && existsSync(stamp) && readFileSync(stamp, 'utf8') === sourceHash(root);
}

export function stampFor(root: string): { file: string; hash: string } {
  return { file: path.join(root, STAMP), hash: sourceHash(root) };
}
