import { createServer } from 'node:net';

/** A TCP port on loopback that nobody listens on right now. */
export async function getFreePort(): Promise<number> {
  return new Promise((resolve, reject): void => {
    const server = createServer();
    server.unref();
    server.on('error', reject);
    server.listen(0, '127.0.0.1', (): void => {
      const { port } = server.address() as { port: number };
      server.close((): void => resolve(port));
    });
  });
}
