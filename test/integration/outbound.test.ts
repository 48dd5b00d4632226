import { strict as assert } from 'node:assert';
import { mkdtemp, rm } from 'node:fs/promises';
import type { Server } from 'node:http';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { SignJWT } from 'jose';
import { runFmp } from '../harness/cli';
import type { TestMember } from '../harness/members';
import { createTestMember, uniqueName } from '../harness/members';
import type { TestServer } from '../harness/servers';
import { getSharedServer, startTestServer } from '../harness/servers';

const WEBHOOK = 'http://www.w3.org/ns/solid/notifications#WebhookChannel2023';
const REFUSAL_END = 'this FMP does not send to private addresses (--outbound-private deny)';

/** A loopback HTTP listener that records every request it gets. */
interface Listener { server: Server; port: number; received: { method: string; url: string; body: string }[] }

async function listen(host = '127.0.0.1'): Promise<Listener> {
  const received: Listener['received'] = [];
  const server = createServer((request, response): void => {
    let body = '';
    request.on('data', (chunk: Buffer): void => {
      body += chunk.toString();
    });
    request.on('end', (): void => {
      received.push({ method: request.method!, url: request.url!, body });
      response.end();
    });
  });
  await new Promise<void>((resolve): void => {
    server.listen(0, host, resolve);
  });
  return { server, port: (server.address() as AddressInfo).port, received };
}

/** Waits until `condition` holds, polling; fails after `ms`. */
async function eventually(condition: () => boolean, what: string, ms = 20_000): Promise<void> {
  const deadline = Date.now() + ms;
  while (!condition()) {
    if (Date.now() > deadline) {
      assert.fail(`timed out waiting until ${what}`);
    }
    await new Promise((resolve): void => {
      setTimeout(resolve, 50);
    });
  }
}

async function subscribe(member: TestMember, server: string, topic: string, sendTo: string): Promise<Response> {
  return member.fetch(new URL('.notifications/WebhookChannel2023/', server), {
    method: 'POST',
    headers: { 'content-type': 'application/ld+json' },
    body: JSON.stringify({ '@context': [ 'https://www.w3.org/ns/solid/notification/v1' ], type: WEBHOOK, topic, sendTo }),
  });
}

async function putNote(member: TestMember, url: string): Promise<void> {
  const response = await member.fetch(url, { method: 'PUT', headers: { 'content-type': 'text/plain' }, body: 'a note' });
  assert.ok(response.ok, `PUT ${url}: ${response.status}`);
}

describe('The outbound guard', (): void => {
  let hook: Listener;

  beforeEach(async(): Promise<void> => {
    hook = await listen();
  });

  afterEach(async(): Promise<void> => {
    hook.server.close();
  });

  describe('with --outbound-private deny', (): void => {
    let server: TestServer;
    let member: TestMember;
    let allowed: Listener;

    before(async(): Promise<void> => {
      // 127.0.0.2 is loopback too; allowed by name, it shows deliveries to an allowed host still arrive.
      server = await startTestServer(undefined, undefined, { outboundPrivate: 'deny', outboundAllowHosts: [ '127.0.0.2' ]});
      member = await createTestMember(server.baseUrl, uniqueName('guarded'));
    });

    after(async(): Promise<void> => {
      await server?.destroy();
    });

    it('refuses webhooks to loopback, cloud metadata and a name resolving to loopback with 422 and the reason; nothing is sent.',
      async(): Promise<void> => {
        const topic = `${member.pod}notes/`;
        await putNote(member, `${topic}first`);
        const refused: [string, RegExp][] = [
          [ `http://127.0.0.1:${hook.port}/hook`, /resolves to 127\.0\.0\.1, a loopback address/u ],
          [ 'http://169.254.169.254/latest/meta-data/', /resolves to 169\.254\.169\.254, a link-local address/u ],
          [ `http://localhost:${hook.port}/hook`, /resolves to (127\.0\.0\.1|::1), a loopback address/u ],
          [ `http://0.0.0.0:${hook.port}/hook`, /an unspecified address/u ],
        ];
        for (const [ sendTo, reason ] of refused) {
          const response = await subscribe(member, server.baseUrl, topic, sendTo);
          const text = await response.text();
          assert.equal(response.status, 422, `${sendTo}: ${text}`);
          assert.match(text, reason);
          assert.ok(text.includes(`sendTo ${new URL(sendTo).href} resolves to`), text);
          assert.ok(text.includes(REFUSAL_END), text);
        }

        allowed = await listen('127.0.0.2');
        try {
          const control = await subscribe(member, server.baseUrl, topic, `http://127.0.0.2:${allowed.port}/hook`);
          assert.equal(control.status, 200, await control.text());
          await putNote(member, `${topic}second`);
          await eventually((): boolean => allowed.received.some((request): boolean => request.body.includes(`${topic}second`)),
            'the allowed host got the notification');
          assert.deepEqual(hook.received, [], 'nothing reached the refused targets');
        } finally {
          allowed.server.close();
        }
      });

    it('still reaches its own loopback origin: a webhook to the FMP itself is accepted.', async(): Promise<void> => {
      const response = await subscribe(member, server.baseUrl, `${member.pod}notes/`, `${server.baseUrl}${member.name}/inbox/`);
      assert.equal(response.status, 200, await response.text());
    });

    it('refuses to read the keys of a Move\'s signer on a private address (400, nothing sent).', async(): Promise<void> => {
      const signer = `http://127.0.0.1:${hook.port}`;
      const signature = await new SignJWT({ move: {}}).setProtectedHeader({ alg: 'HS256' }).setIssuer(signer)
        .setIssuedAt().setJti('urn:uuid:1').sign(new Uint8Array(32));
      const response = await fetch(new URL('.fmp/inbox', server.baseUrl), {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ type: 'Move', actor: `${signer}/a/profile/card#me`, 'fmp:signature': signature }),
      });
      const text = await response.text();
      assert.equal(response.status, 400, text);
      assert.match(text, /Cannot read the keys of http:\/\/127\.0\.0\.1:\d+: http:\/\/127\.0\.0\.1:\d+ resolves to 127\.0\.0\.1, a loopback address/u);
      assert.deepEqual(hook.received, []);
    });

    it('does not read the WebID or issuer an access token names at a private address (the request is anonymous: 401).',
      async(): Promise<void> => {
        // CSS's verifier reads http: URLs only on localhost, and reads the WebID first, then the issuer's configuration.
        const privateOrigin = `http://localhost:${hook.port}`;
        const now = Math.floor(Date.now() / 1000);
        const part = (value: unknown): string => Buffer.from(JSON.stringify(value)).toString('base64url');
        // Never verified, so the signature need not be one.
        const token = `${part({ alg: 'ES256' })}.${part({ webid: `${privateOrigin}/me#i`, iss: privateOrigin, aud: 'solid',
          iat: now, exp: now + 300, cnf: { jkt: 'x' }, client_id: 'x' })}.${Buffer.from('not a signature').toString('base64url')}`;
        for (const authorization of [ `DPoP ${token}`, `Bearer ${token}` ]) {
          const response = await fetch(`${member.pod}notes/first`, { headers: { authorization, dpop: 'checked after the WebID' }});
          assert.equal(response.status, 401, await response.text());
        }
        assert.deepEqual(hook.received, []);
      });

    it('fmp peer add --from a private address fails with one line, and adds nothing.', async(): Promise<void> => {
      const from = `http://127.0.0.1:${hook.port}/`;
      const denied = await runFmp([ 'peer', 'add', 'sneaky', '--from', from, '--data', server.dataFolder ], { FMP_OUTBOUND_PRIVATE: 'deny' });
      assert.equal(denied.code, 1, denied.stderr);
      assert.equal(denied.stderr, `fmp: --from http://127.0.0.1:${hook.port} resolves to 127.0.0.1, a loopback address; ${REFUSAL_END}; ` +
        'if the peer is on your private network, add its host with --outbound-allow-hosts\n');
      // A data folder whose FMP never started has no base URL to judge by: deny.
      const fresh = await mkdtemp(join(tmpdir(), 'fmp-peers-'));
      try {
        const unknown = await runFmp([ 'peer', 'add', 'sneaky', '--from', `http://169.254.169.254:${hook.port}/`, '--data', fresh ]);
        assert.equal(unknown.code, 1, unknown.stderr);
        assert.match(unknown.stderr, /^fmp: --from http:\/\/169\.254\.169\.254:\d+ resolves to 169\.254\.169\.254, a link-local address;/u);
      } finally {
        await rm(fresh, { recursive: true, force: true });
      }
      assert.deepEqual(hook.received, []);
      const listed = await runFmp([ 'peer', 'list', '--json', '--data', server.dataFolder ]);
      assert.deepEqual(JSON.parse(listed.stdout), []);
    });
  });

  describe('by default, on a loopback base URL', (): void => {
    it('sends webhooks to private addresses (local development).', async(): Promise<void> => {
      const server = await getSharedServer();
      const member = await createTestMember(server.baseUrl, uniqueName('developer'));
      const topic = `${member.pod}notes/`;
      await putNote(member, `${topic}first`);
      const response = await subscribe(member, server.baseUrl, topic, `http://127.0.0.1:${hook.port}/hook`);
      assert.equal(response.status, 200, await response.text());
      await putNote(member, `${topic}second`);
      await eventually((): boolean => hook.received.some((request): boolean => request.body.includes(`${topic}second`)),
        'the notification arrived');
      assert.equal(hook.received.at(-1)!.method, 'POST');
    });
  });
});
