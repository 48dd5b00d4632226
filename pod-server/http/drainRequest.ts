import type { IncomingMessage } from 'node:http';

/**
 * Reads and drops what is left of a request body, up to `limit` bytes (then the connection is closed), so a
 * refusal sent mid-upload reaches a client that is still sending instead of a reset connection.
 */
export async function drainRequest(request: IncomingMessage, limit: number): Promise<void> {
  if (request.readableEnded || request.destroyed) {
    return;
  }
  await new Promise<void>((resolve): void => {
    let size = 0;
    request.on('data', (chunk: Buffer): void => {
      size += chunk.length;
      if (size > limit) {
        request.destroy();
        resolve();
      }
    });
    request.once('end', resolve);
    request.once('close', resolve);
    request.resume();
  });
}
