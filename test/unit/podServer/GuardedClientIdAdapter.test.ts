import { strict as assert } from 'node:assert';
import type { Server } from 'node:http';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { RepresentationConverter } from '@solid/community-server';
import { GuardedClientIdAdapter } from '../../../pod-server/outbound/GuardedClientIdAdapter';
import { ServerOutboundGuard } from '../../../pod-server/outbound/ServerOutboundGuard';

describe('GuardedClientIdAdapter', (): void => {
  let listener: Server;
  let port: number;
  let received: string[];
  const nothingStored = { find: async(): Promise<undefined> => undefined } as never;
  const noConverter = {} as RepresentationConverter;

  beforeEach(async(): Promise<void> => {
    received = [];
    listener = createServer((request, response): void => {
      received.push(request.url!);
      const clientId = `http://localhost:${port}${request.url}`;
      response.setHeader('content-type', 'application/ld+json');
      response.end(JSON.stringify({ '@context': [ 'https://www.w3.org/ns/solid/oidc-context.jsonld' ], client_id: clientId,
        redirect_uris: [ 'http://localhost/cb' ]}));
    });
    await new Promise<void>((resolve): void => {
      listener.listen(0, '127.0.0.1', resolve);
    });
    port = (listener.address() as AddressInfo).port;
  });

  afterEach((): void => {
    listener.close();
  });

  it('does not read a Client ID Document at a private address under deny.', async(): Promise<void> => {
    const guard = new ServerOutboundGuard('https://fmp.example/', 'deny', '');
    try {
      const adapter = new GuardedClientIdAdapter('Client', nothingStored, noConverter, guard);
      await assert.rejects(adapter.find(`http://localhost:${port}/app`), {
        name: 'OutboundRefusedError',
        message: new RegExp(`^http://localhost:${port} resolves to (127\\.0\\.0\\.1|::1), a loopback address`, 'u'),
      });
      assert.deepEqual(received, []);
    } finally {
      await guard.close();
    }
  });

  it('reads one where it may (here the FMP\'s own origin), as CSS does.', async(): Promise<void> => {
    const guard = new ServerOutboundGuard(`http://localhost:${port}/`, 'deny', '');
    try {
      const adapter = new GuardedClientIdAdapter('Client', nothingStored, noConverter, guard);
      assert.deepEqual(await adapter.find(`http://localhost:${port}/app`), {
        '@context': [ 'https://www.w3.org/ns/solid/oidc-context.jsonld' ],
        client_id: `http://localhost:${port}/app`,
        redirect_uris: [ 'http://localhost/cb' ],
        token_endpoint_auth_method: 'none',
      });
      assert.deepEqual(received, [ '/app' ]);
      // Other kinds of payload, and client ids that are not URLs, are never fetched.
      assert.equal(await new GuardedClientIdAdapter('Session', nothingStored, noConverter, guard).find(`http://localhost:${port}/x`), undefined);
      assert.equal(await adapter.find('my-app'), undefined);
      assert.deepEqual(received, [ '/app' ]);
    } finally {
      await guard.close();
    }
  });
});
