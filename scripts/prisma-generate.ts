/**
 * Generates the Prisma client (postinstall). Prisma's CLI downloads its schema engine at the
 * start of every command, which fails offline; `generate` never runs that engine, so pointing
 * PRISMA_SCHEMA_ENGINE_BINARY at any existing file lets it work anywhere.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';

const env = { ...process.env };
if (!env.PRISMA_SCHEMA_ENGINE_BINARY || !existsSync(env.PRISMA_SCHEMA_ENGINE_BINARY)) {
  const placeholder = path.join(mkdtempSync(path.join(tmpdir(), 'hookyard-prisma-')), 'schema-engine-unused');
  writeFileSync(placeholder, '');
  env.PRISMA_SCHEMA_ENGINE_BINARY = placeholder;
}
const prisma = path.join(process.cwd(), 'node_modules', 'prisma', 'build', 'index.js');
const result = spawnSync(process.execPath, [prisma, 'generate'], { stdio: 'inherit', env });
process.exit(result.status ?? 1);
