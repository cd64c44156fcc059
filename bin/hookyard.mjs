#!/usr/bin/env node
/**
 * The `hookyard` bin (package.json): registers tsx's ESM loader and runs the TypeScript entry,
 * so `npx hookyard …` works in a checkout with no build step. docs/cli.md.
 */
import { register } from 'tsx/esm/api';

register();
const { main } = await import('../cli/main.ts');
process.exitCode = await main(process.argv);
