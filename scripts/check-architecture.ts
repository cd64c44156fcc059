/**
 * `npm run check:architecture`: the import rules of .dependency-cruiser.cjs, and no import cycle
 * between folders. A cycle inside one folder is that folder's business; a cycle between two
 * folders means neither can be understood (or moved) without the other, so none may come back.
 * docs/architecture.md has the rules and the layering they keep.
 */
import { createRequire } from 'node:module';
import { cruise, type ICruiseResult, type IConfiguration } from 'dependency-cruiser';
import { folderCycles, folderOf } from './architecture/folder-cycles';

const ROOTS = ['lib', 'app', 'components', 'cli', 'bin', 'scripts', 'bench', 'tests', 'server.ts', 'next-server.ts', 'proxy.ts'];

async function main(): Promise<void> {
  const config = createRequire(import.meta.url)('../.dependency-cruiser.cjs') as IConfiguration;
  const { output } = await cruise(ROOTS, { ...config.options, validate: true, ruleSet: { forbidden: config.forbidden } });
  const result = output as ICruiseResult;
  let failed = false;

  for (const violation of result.summary.violations) {
    if (violation.rule.severity !== 'error') continue;
    failed = true;
    const via = violation.via?.length ? ` (via ${violation.via.map((step) => step.name).join(' → ')})` : '';
    console.error(`✗ ${violation.rule.name}: ${violation.from} → ${violation.to}${via}`);
  }

  const edges = result.modules
    .filter((module) => !module.source.startsWith('node_modules/'))
    .flatMap((module) =>
      module.dependencies
        .filter((dependency) => !dependency.coreModule && !dependency.resolved.startsWith('node_modules/'))
        .map((dependency) => ({ from: module.source, to: dependency.resolved })),
    );
  for (const cycle of folderCycles(edges)) {
    failed = true;
    console.error(`✗ folder cycle: ${cycle.folders.join(' ↔ ')}`);
    for (const edge of cycle.examples) console.error(`    ${edge.from} → ${edge.to}`);
  }

  if (failed) process.exit(1);
  const folders = new Set(result.modules.filter((module) => !module.source.startsWith('node_modules/')).map((module) => folderOf(module.source)));
  console.log(`✓ architecture: ${result.summary.totalCruised} modules, ${folders.size} folders, no forbidden import, no folder cycle`);
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
