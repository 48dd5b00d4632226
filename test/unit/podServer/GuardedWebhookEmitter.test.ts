import { strict as assert } from 'node:assert';
import type { IncomingHttpHeaders, Server } from 'node:http';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { decodeJwt, exportJWK, generateKeyPair } from 'jose';
import type { InteractionRoute, JwkGenerator, NotificationChannel } from '@solid/community-server';
import { BasicRepresentation, NOTIFY } from '@solid/community-server';
import { GuardedWebhookEmitter } from '../../../pod-server/outbound/GuardedWebhookEmitter';
import { ServerOutboundGuard } from '../../../pod-server/outbound/ServerOutboundGuard';

const WEBHOOK_WEBID = 'https://fmp.example/.notifications/WebhookChannel2023/webId';

describe('GuardedWebhookEmitter', (): void => {
  let listener: Server;
  let port: number;
  let received: { headers: IncomingHttpHeaders; body: string }[];
  let keys: JwkGenerator;

  before(async(): Promise<void> => {
    const { privateKey, publicKey } = await generateKeyPair('ES256', { extractable: true });
    const privateJwk = { ...await exportJWK(privateKey), alg: 'ES256' };
    const publicJwk = { ...await exportJWK(publicKey), alg: 'ES256' };
    keys = { alg: 'ES256', getPrivateKey: async(): Promise<unknown> => privateJwk, getPublicKey: async(): Promise<unknown> => publicJwk } as
      unknown as JwkGenerator;
  });

  beforeEach(async(): Promise<void> => {
    received = [];
    listener = createServer((request, response): void => {
      let body = '';
      request.on('data', (chunk: Buffer): void => {
        body += chunk.toString();
      });
      request.on('end', (): void => {
        received.push({ headers: request.headers, body });
        response.end();
      });
    });
    await new Promise<void>((resolve): void => {
      listener.listen(0, '127.0.0.1', resolve);
    });
    port = (listener.address() as AddressInfo).port;
  });

  afterEach((): void => {
    listener.close();
  });

  function emitterFor(guard: ServerOutboundGuard): GuardedWebhookEmitter {
    return new GuardedWebhookEmitter('https://fmp.example/', { getPath: (): string => WEBHOOK_WEBID } as InteractionRoute, keys, guard);
  }

  function channelTo(sendTo: string): NotificationChannel {
    return { id: 'https://fmp.example/.notifications/WebhookChannel2023/1', type: NOTIFY.WebhookChannel2023,
      topic: 'https://fmp.example/alice/notes/', sendTo } as NotificationChannel;
  }

  async function emit(guard: ServerOutboundGuard, sendTo: string): Promise<void> {
    const emitter = emitterFor(guard);
    const input = { channel: channelTo(sendTo), representation: new BasicRepresentation('{"type":"Add"}', 'application/ld+json') };
    await emitter.canHandle(input);
    await emitter.handle(input);
  }

  it('sends nothing to a private address under deny, even for a channel already stored.', async(): Promise<void> => {
    const guard = new ServerOutboundGuard('https://fmp.example/', 'deny', '');
    try {
      await emit(guard, `http://127.0.0.1:${port}/hook`);
      await emit(guard, `http://localhost:${port}/hook`);
      assert.deepEqual(received, []);
    } finally {
      await guard.close();
    }
  });

  it('sends the notification with a DPoP-bound token of the webhook WebID where it may.', async(): Promise<void> => {
    const guard = new ServerOutboundGuard('https://fmp.example/', 'deny', '127.0.0.1');
    try {
      await emit(guard, `http://127.0.0.1:${port}/hook`);
      assert.equal(received.length, 1);
      assert.equal(received[0].body, '{"type":"Add"}');
      assert.equal(received[0].headers['content-type'], 'application/ld+json');
      const token = decodeJwt(String(received[0].headers.authorization).replace(/^DPoP /u, ''));
      assert.equal(token.webid, WEBHOOK_WEBID);
      assert.equal(token.iss, 'https://fmp.example');
      assert.equal(decodeJwt(String(received[0].headers.dpop)).htu, `http://127.0.0.1:${port}/hook`);
    } finally {
      await guard.close();
    }
  });

  it('does not handle other channel types.', async(): Promise<void> => {
    const guard = new ServerOutboundGuard('https://fmp.example/', 'deny', '');
    try {
      const channel = { ...channelTo('https://example.org/'), type: NOTIFY.WebSocketChannel2023 } as NotificationChannel;
      await assert.rejects(emitterFor(guard).canHandle({ channel, representation: new BasicRepresentation('', 'text/plain') }),
        /is not a WebhookChannel2023 channel/u);
    } finally {
      await guard.close();
    }
  });
});
