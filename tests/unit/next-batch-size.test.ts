import { describe, expect, it } from 'vitest';
import { nextBatchSize } from '@/lib/ingest/event-writer';

const limits = { maxBatch: 100, maxConcurrent: 3, minBatchAlongside: 8 };

describe('nextBatchSize (group commit)', () => {
  it('sends a lone event at once when nothing is in flight', () => {
    expect(nextBatchSize(1, 0, limits)).toBe(1);
  });

  it('lets events wait behind a batch in flight until enough have queued to fill another', () => {
    expect(nextBatchSize(7, 1, limits)).toBe(0);
    expect(nextBatchSize(8, 1, limits)).toBe(8);
    expect(nextBatchSize(30, 2, limits)).toBe(30);
  });

  it('never exceeds the batch size nor the number of batches in flight', () => {
    expect(nextBatchSize(250, 0, limits)).toBe(100);
    expect(nextBatchSize(250, 3, limits)).toBe(0);
    expect(nextBatchSize(0, 0, limits)).toBe(0);
  });
});
