import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { readOrCreateSecret } from './secretFile';
import type { WebAppOptions } from './WebApp';
import { WebApp } from './WebApp';

/** A web app listening on a loopback port, which the pod server relays `/.fmp/` and `/.fmp/app/` to. */
export interface RunningWebApp {
  url: string;
  app: WebApp;
  stop: () => Promise<void>;
}

/**
 * Starts the member web app on a free loopback port (only the pod server's relay reaches it). Its key is read from
 * `<stateFolder>/session-key` (made at the first start), so apps on the same state folder share their sessions.
 */
export async function listenWebApp(options: Omit<WebAppOptions, 'sessionKey'>): Promise<RunningWebApp> {
  const sessionKey = await readOrCreateSecret(join(options.stateFolder, 'session-key'));
  const app = new WebApp({ ...options, sessionKey });
  const server = createServer(app.callbackHandler());
  await new Promise<void>((resolve, reject): void => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', resolve);
  });
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}/`,
    app,
    stop: async(): Promise<void> => new Promise<void>((resolve): void => {
      server.close((): void => resolve());
      server.closeAllConnections();
    }),
  };
}
