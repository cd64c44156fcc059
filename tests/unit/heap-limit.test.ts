import { describe, expect, it } from 'vitest';
import { DEFAULT_HEAP_MB, execArgvWithHeapLimit, withHeapLimit } from '@/lib/config/heap-limit';

describe('withHeapLimit', () => {
  it('caps each process at its default', () => {
    expect(withHeapLimit('web', {}).NODE_OPTIONS).toBe(`--max-old-space-size=${DEFAULT_HEAP_MB.web}`);
    expect(withHeapLimit('worker', { NODE_OPTIONS: '--enable-source-maps' }).NODE_OPTIONS).toBe(
      `--enable-source-maps --max-old-space-size=${DEFAULT_HEAP_MB.worker}`,
    );
  });

  it("takes the size from HOOKYARD_<PROCESS>_HEAP_MB, and leaves an operator's own flag alone", () => {
    expect(withHeapLimit('worker', { HOOKYARD_WORKER_HEAP_MB: '512' }).NODE_OPTIONS).toBe('--max-old-space-size=512');
    expect(withHeapLimit('web', { NODE_OPTIONS: '--max-old-space-size=2048' }).NODE_OPTIONS).toBe('--max-old-space-size=2048');
  });

  it('refuses a size that is not a sensible number of megabytes', () => {
    expect(() => withHeapLimit('web', { HOOKYARD_WEB_HEAP_MB: 'lots' })).toThrow(/HOOKYARD_WEB_HEAP_MB must be a whole number/);
    expect(() => withHeapLimit('web', { HOOKYARD_WEB_HEAP_MB: '16' })).toThrow(/at least 64/);
  });
});

describe('execArgvWithHeapLimit', () => {
  it('gives a forked child its own cap on the command line, replacing one it inherited', () => {
    expect(execArgvWithHeapLimit('dashboard', ['--import', 'tsx', '--max-old-space-size=256'], {})).toEqual([
      '--import',
      'tsx',
      `--max-old-space-size=${DEFAULT_HEAP_MB.dashboard}`,
    ]);
    expect(execArgvWithHeapLimit('dashboard', [], { HOOKYARD_DASHBOARD_HEAP_MB: '512' })).toEqual(['--max-old-space-size=512']);
    expect(() => execArgvWithHeapLimit('dashboard', [], { HOOKYARD_DASHBOARD_HEAP_MB: '1.5' })).toThrow(/HOOKYARD_DASHBOARD_HEAP_MB must be a whole number/);
  });
});
