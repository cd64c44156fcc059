import { PassThrough } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { BodyTooLargeError, readLimited, readNodeStream } from '@/lib/ingest/read-body';

async function* chunks(...parts: string[]) {
  for (const part of parts) yield Buffer.from(part);
}

describe('readNodeStream', () => {
  it('joins the chunks of a body within the limit, and stops listening once it ends', async () => {
    const small = new PassThrough();
    const read = readNodeStream(small, 11);
    small.write('hello ');
    small.end('world');
    expect((await read).toString()).toBe('hello world');
    expect(small.listenerCount('data') + small.listenerCount('end') + small.listenerCount('close')).toBe(0);
  });

  it('stops at the first chunk past the limit and leaves the stream paused, not destroyed', async () => {
    const stream = new PassThrough();
    const body = readNodeStream(stream, 4);
    stream.write('abc');
    stream.write('def');
    await expect(body).rejects.toThrow(/larger than this source's limit of 4 bytes/);
    expect(stream.isPaused()).toBe(true);
    expect(stream.destroyed).toBe(false);
    expect(stream.listenerCount('data')).toBe(0);
  });

  it('fails when the stream closes or errs before the body ends', async () => {
    const closed = new PassThrough();
    const early = readNodeStream(closed, 100);
    closed.write('part');
    closed.destroy();
    await expect(early).rejects.toThrow(/closed before the body ended/);

    const failing = new PassThrough();
    const broken = readNodeStream(failing, 100);
    failing.destroy(new Error('socket hang up'));
    await expect(broken).rejects.toThrow(/socket hang up/);
  });
});

describe('readLimited', () => {
  it('reads an async iterable up to the limit', async () => {
    expect((await readLimited(chunks('ab', 'cd'), 4)).toString()).toBe('abcd');
    await expect(readLimited(chunks('ab', 'cde'), 4)).rejects.toBeInstanceOf(BodyTooLargeError);
  });
});
