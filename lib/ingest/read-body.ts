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

/**
 * readLimited for a Node stream (the lean server's request), on its events: the async iterator
 * costs a promise and several listeners per chunk, a measurable share of the lean path's CPU. Past
 * the limit it stops listening and pauses the stream; the caller answers and closes the connection.
 */
export function readNodeStream(stream: NodeJS.ReadableStream, limit: number): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const parts: Buffer[] = [];
    let size = 0;
    const done = () => {
      stream.off('data', onData);
      stream.off('end', onEnd);
      stream.off('error', onError);
      stream.off('close', onClose);
    };
    const onData = (chunk: Buffer | string) => {
      const buffer = typeof chunk === 'string' ? Buffer.from(chunk) : chunk;
      size += buffer.byteLength;
      if (size > limit) {
        done();
        stream.pause();
        reject(new BodyTooLargeError(limit));
        return;
      }
      parts.push(buffer);
    };
    const onEnd = () => {
      done();
      resolve(parts.length === 1 ? parts[0]! : Buffer.concat(parts, size));
    };
    const onError = (error: Error) => {
      done();
      reject(error);
    };
    const onClose = () => onError(new Error('the connection closed before the body ended'));
    stream.on('data', onData);
    stream.on('end', onEnd);
    stream.on('error', onError);
    stream.on('close', onClose);
  });
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
