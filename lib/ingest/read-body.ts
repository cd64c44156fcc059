/**
 * Reading a request body with a hard limit: reading stops at the first byte past the limit, so a
 * large or endless body is never buffered. Works on Web streams (route handler) and Node streams
 * (the lean server) alike.
 */
export class BodyTooLargeError extends Error {
  constructor(readonly limit: number) {
    super(`The body is larger than this source's limit of ${limit} bytes`);
    this.name = 'BodyTooLargeError';
  }
}

export async function readLimited(chunks: AsyncIterable<Uint8Array>, limit: number): Promise<Buffer> {
  const parts: Buffer[] = [];
  let size = 0;
  for await (const chunk of chunks) {
    size += chunk.byteLength;
    if (size > limit) throw new BodyTooLargeError(limit);
    parts.push(Buffer.from(chunk.buffer, chunk.byteOffset, chunk.byteLength));
  }
  return parts.length === 1 ? parts[0]! : Buffer.concat(parts, size);
}

/** Iterates a Web ReadableStream and cancels it when the consumer stops early. */
export async function* webStreamChunks(stream: ReadableStream<Uint8Array> | null): AsyncGenerator<Uint8Array> {
  if (!stream) return;
  const reader = stream.getReader();
  try {
    for (;;) {
      const { done, value } = await reader.read();
      if (done) return;
      yield value;
    }
  } finally {
    void reader.cancel().catch(() => undefined);
  }
}
