import type { IncomingMessage } from 'node:http';

/**
 * A request body's chunks, or undefined once it passes `limit` bytes, leaving the rest unread (for the caller to drain:
 * `for await`, which would be simpler, destroys the request when left early, and the client then sees a reset
 * connection instead of the answer).
 */
export async function readBodyUpTo(request: IncomingMessage, limit: number): Promise<Buffer[] | undefined> {
  if (request.readableEnded) {
    return [];
  }
  if (request.destroyed) {
    throw cutOff();
  }
  return new Promise((resolve, reject): void => {
    const chunks: Buffer[] = [];
    let size = 0;
    const finish = (result: Buffer[] | undefined): void => {
      request.off('data', onData);
      request.off('end', onEnd);
      request.off('error', reject);
      request.off('close', onClose);
      request.pause();
      resolve(result);
    };
    const onData = (chunk: Buffer): void => {
      size += chunk.length;
      chunks.push(chunk);
      if (size > limit) {
        finish(undefined);
      }
    };
    const onEnd = (): void => finish(chunks);
    // A client that goes away mid-upload ends the request without 'end'.
    const onClose = (): void => {
      if (!request.readableEnded) {
        reject(cutOff());
      }
    };
    request.on('data', onData);
    request.once('end', onEnd);
    request.once('error', reject);
    request.once('close', onClose);
  });
}

function cutOff(): Error {
  return Object.assign(new Error('The request body was cut off.'), { status: 400, statusCode: 400, expose: true });
}
