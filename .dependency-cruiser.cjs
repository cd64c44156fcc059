/**
 * Import boundaries, checked by `npm run check:architecture` (and so by CI). docs/architecture.md
 * says why each rule exists. Folder-level cycles are checked by scripts/check-architecture.ts,
 * which reads the same graph.
 */
/** Modules that put Prisma (and its generated client) in a process. */
const PRISMA = ['^lib/db/prisma[.]ts$', '^lib/db/generated/(client|internal|models)', '^node_modules/@prisma/client/', '^node_modules/@prisma/adapter-pg/'];

/** @type {import('dependency-cruiser').IConfiguration} */
module.exports = {
  forbidden: [
    {
      name: 'no-react-or-next-in-lib',
      comment: 'lib/ is the domain and infrastructure; React and Next.js glue lives in app/ and components/.',
      severity: 'error',
      from: { path: '^lib/' },
      to: { path: '^node_modules/(react|react-dom|next)/' },
    },
    {
      name: 'no-prisma-on-the-ingest-path',
      comment: 'Ingest answers from postgres.js alone: Prisma would cost start-up time and memory in every web process.',
      severity: 'error',
      from: { path: ['^server[.]ts$', '^lib/ingest/node-ingest[.]ts$'] },
      to: { path: PRISMA, reachable: true },
    },
    {
      name: 'no-database-from-ui',
      comment: 'Pages, routes and components ask lib/ for data; they never hold a database handle.',
      severity: 'error',
      from: { path: '^(app|components)/' },
      to: { path: ['^lib/db/(prisma|sql|local-database|embedded-postgres|migrate)[.]ts$', ...PRISMA, '^node_modules/(postgres|pg)/'] },
    },
    {
      name: 'cli-only-public-api',
      comment: 'The hookyard CLI (cli/, bin/) talks to Hookyard over the public /api/v1 only, so scripts can do all it does (docs/cli.md).',
      severity: 'error',
      from: { path: '^(cli|bin)/' },
      to: { path: '^(lib|app|components|scripts|server[.]ts|next-server[.]ts|proxy[.]ts)' },
    },
    {
      name: 'not-to-unresolvable',
      comment: 'An import that resolves to nothing is a typo or a missing dependency.',
      severity: 'error',
      from: {},
      to: { couldNotResolve: true },
    },
  ],
  options: {
    doNotFollow: { path: ['node_modules', '^lib/db/generated/'] },
    exclude: { path: ['^node_modules', '^[.]next/', '^[.]data', '^test-results/', '^playwright-report/'] },
    tsPreCompilationDeps: false,
    tsConfig: { fileName: 'tsconfig.json' },
    enhancedResolveOptions: {
      exportsFields: ['exports'],
      conditionNames: ['import', 'require', 'node', 'default', 'types'],
      mainFields: ['module', 'main', 'types', 'typings'],
      extensions: ['.ts', '.tsx', '.js', '.mjs', '.cjs', '.d.ts'],
    },
  },
};
