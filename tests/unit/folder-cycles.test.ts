import { describe, expect, it } from 'vitest';
import { folderCycles, folderOf } from '@/scripts/architecture/folder-cycles';

describe('folderOf', () => {
  it('names the concept a module belongs to', () => {
    expect(folderOf('lib/ingest/handle-ingest.ts')).toBe('lib/ingest');
    expect(folderOf('lib/deliveries/transitions/succeed.ts')).toBe('lib/deliveries');
    expect(folderOf('components/ui/button.tsx')).toBe('components/ui');
    expect(folderOf('components/forbidden.tsx')).toBe('components');
    expect(folderOf('app/(dashboard)/events/page.tsx')).toBe('app');
    expect(folderOf('server.ts')).toBe('.');
  });
});

describe('folderCycles', () => {
  it('finds nothing in a layered graph, and ignores cycles inside one folder', () => {
    const edges = [
      { from: 'lib/ingest/a.ts', to: 'lib/db/sql.ts' },
      { from: 'lib/ingest/a.ts', to: 'lib/ingest/b.ts' },
      { from: 'lib/ingest/b.ts', to: 'lib/ingest/a.ts' },
      { from: 'app/page.tsx', to: 'lib/ingest/a.ts' },
    ];
    expect(folderCycles(edges)).toEqual([]);
  });

  it('reports a two-folder cycle with the imports that make it', () => {
    const edges = [
      { from: 'lib/log/outage.ts', to: 'lib/db/sql.ts' },
      { from: 'lib/db/cache.ts', to: 'lib/log/logger.ts' },
      { from: 'lib/db/cache.ts', to: 'lib/config/env.ts' },
    ];
    expect(folderCycles(edges)).toEqual([
      {
        folders: ['lib/db', 'lib/log'],
        examples: expect.arrayContaining([
          { from: 'lib/log/outage.ts', to: 'lib/db/sql.ts' },
          { from: 'lib/db/cache.ts', to: 'lib/log/logger.ts' },
        ]),
      },
    ]);
  });

  it('joins a longer loop into one cycle, and keeps separate loops apart', () => {
    const edges = [
      { from: 'lib/a/x.ts', to: 'lib/b/x.ts' },
      { from: 'lib/b/x.ts', to: 'lib/c/x.ts' },
      { from: 'lib/c/x.ts', to: 'lib/a/x.ts' },
      { from: 'lib/c/x.ts', to: 'lib/d/x.ts' },
      { from: 'lib/e/x.ts', to: 'lib/f/x.ts' },
      { from: 'lib/f/x.ts', to: 'lib/e/x.ts' },
    ];
    expect(folderCycles(edges).map((cycle) => cycle.folders)).toEqual([
      ['lib/a', 'lib/b', 'lib/c'],
      ['lib/e', 'lib/f'],
    ]);
  });
});
