import type { IncomingMessage, Server, ServerResponse } from 'node:http';
import { createServer, request } from 'node:http';
import type { AddressInfo } from 'node:net';

/** A small load balancer for tests: each request goes to the next target in turn, as a round-robin proxy would. */
export interface RoundRobinProxy {
  port: number;
  /** How many requests each target answered. */
  answered: number[];
  /** The target each request went to, in the order they were sent. */
  history: number[];
  close: () => Promise<void>;
}

/** How long the proxy waits for an FMP process to answer, as nginx's `proxy_read_timeout` would. */
const UPSTREAM_TIMEOUT_MS = 60_000;

async function readBody(incoming: IncomingMessage): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const chunk of incoming) {
    chunks.push(chunk as Buffer);
  }
  return Buffer.concat(chunks);
}

/**
 * Listens on `port` (0: any free one) on loopback and passes each request on, unchanged (Host included), to the next
 * of `targets` (ports on loopback). A target that refuses the connection (its process is gone) is skipped, as
 * load balancers skip a dead upstream when nothing was sent yet; any other failure answers 502. Each request opens a
 * connection of its own, as a proxy without upstream keep-alive does, so a target in CSS's cluster mode hands each to
 * its next worker.
 */
export async function startRoundRobinProxy(targets: number[], port = 0): Promise<RoundRobinProxy> {
  let next = 0;
  const answered = targets.map((): number => 0);
  const history: number[] = [];
  const forward = (incoming: IncomingMessage, outgoing: ServerResponse, body: Buffer, tried: number): void => {
    const index = next;
    next = (next + 1) % targets.length;
    history.push(index);
    const upstream = request({ host: '127.0.0.1', port: targets[index], method: incoming.method, path: incoming.url,
      headers: incoming.headers, agent: false }, (response): void => {
      answered[index] += 1;
      outgoing.writeHead(response.statusCode!, response.statusMessage, response.rawHeaders);
      response.pipe(outgoing);
    });
    // As a load balancer's upstream timeout: a connection CSS's cluster handed to a worker as it was killed is never
    // answered (Node's cluster loses it), so without one the client would wait for good.
    upstream.setTimeout(UPSTREAM_TIMEOUT_MS, (): void => {
      upstream.destroy(Object.assign(new Error(`no answer within ${UPSTREAM_TIMEOUT_MS / 1000} s`), { code: 'ETIMEDOUT' }));
    });
    upstream.on('error', (error: NodeJS.ErrnoException): void => {
      if (error.code === 'ECONNREFUSED' && tried + 1 < targets.length) {
        forward(incoming, outgoing, body, tried + 1);
      } else if (!outgoing.headersSent) {
        outgoing.writeHead(error.code === 'ETIMEDOUT' ? 504 : 502, { 'content-type': 'text/plain' })
          .end(`The proxy could not reach an FMP process: ${error.message}\n`);
      } else {
        outgoing.destroy(error);
      }
    });
    upstream.end(body);
  };
  const server: Server = createServer((incoming, outgoing): void => {
    readBody(incoming).then((body): void => forward(incoming, outgoing, body, 0), (error: Error): void => {
      outgoing.destroy(error);
    });
  });
  await new Promise<void>((resolve): void => {
    server.listen(port, '127.0.0.1', resolve);
  });
  return {
    port: (server.address() as AddressInfo).port,
    answered,
    history,
    close: async(): Promise<void> => {
      server.closeAllConnections();
      await new Promise((resolve): Server => server.close(resolve));
    },
  };
}
