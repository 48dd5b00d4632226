import assert from 'node:assert/strict';
import type { IncomingMessage, Server, ServerResponse } from 'node:http';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { HostResolver, OutboundPolicy } from '../../../consent/outbound';
import {
  findOutboundRefusal,
  findRefusedAddress,
  getEmbeddedIpv4,
  getOutboundPolicy,
  getPrivateAddressKind,
  OutboundGuard,
  OutboundRefusedError,
  OutboundSettingError,
  parseAllowedHosts,
  parseOutboundPrivate,
} from '../../../consent/outbound';

const DENY: OutboundPolicy = { privateAddresses: 'deny', allowedHosts: [], allowedOrigins: []};

/** A resolver with a fixed table; unknown names fail as DNS does. */
function resolverOf(table: Record<string, string[]>): HostResolver {
  return async(hostname): Promise<{ address: string }[]> => {
    const addresses = table[hostname];
    if (!addresses) {
      throw Object.assign(new Error(`getaddrinfo ENOTFOUND ${hostname}`), { code: 'ENOTFOUND' });
    }
    return addresses.map((address): { address: string } => ({ address }));
  };
}

/** A loopback HTTP server that records every request it gets. */
interface Listener { server: Server; port: number; received: string[] }

async function listen(answer: (request: IncomingMessage, response: ServerResponse) => void = (request, response): void => {
  response.end('ok');
}): Promise<Listener> {
  const received: string[] = [];
  const server = createServer((request, response): void => {
    received.push(`${request.method} ${request.url}`);
    answer(request, response);
  });
  await new Promise<void>((resolve): void => {
    server.listen(0, '127.0.0.1', resolve);
  });
  return { server, port: (server.address() as AddressInfo).port, received };
}

async function refusalOf(promise: Promise<unknown>): Promise<OutboundRefusedError> {
  try {
    await promise;
  } catch (error: unknown) {
    const refusal = findOutboundRefusal(error);
    assert.ok(refusal, `expected a refusal, got ${String(error)}`);
    return refusal;
  }
  assert.fail('expected the request to be refused');
}

describe('Outbound guard', (): void => {
  describe('address kinds', (): void => {
    const cases: [string, string | undefined][] = [
      [ '127.0.0.1', 'loopback' ], [ '127.255.255.254', 'loopback' ],
      [ '10.0.0.1', 'private' ], [ '172.16.0.1', 'private' ], [ '172.31.255.255', 'private' ], [ '192.168.1.1', 'private' ],
      [ '100.64.0.1', 'carrier-grade NAT' ],
      [ '169.254.169.254', 'link-local' ], [ '169.254.0.1', 'link-local' ],
      [ '0.0.0.0', 'unspecified' ], [ '0.1.2.3', 'unspecified' ],
      [ '224.0.0.1', 'multicast or reserved' ], [ '255.255.255.255', 'multicast or reserved' ],
      [ '::1', 'loopback' ], [ '0:0:0:0:0:0:0:1', 'loopback' ], [ '::', 'unspecified' ],
      [ 'fc00::1', 'unique-local' ], [ 'fd12:3456::1', 'unique-local' ], [ 'FD00::1', 'unique-local' ],
      [ 'fe80::1', 'link-local' ], [ 'fe80::1%eth0', 'link-local' ], [ 'febf::1', 'link-local' ], [ 'fec0::1', 'private' ],
      [ 'ff02::1', 'multicast or reserved' ],
      // IPv4-mapped, -compatible and NAT64 forms reach the IPv4 address they carry.
      [ '::ffff:127.0.0.1', 'loopback' ], [ '::ffff:7f00:1', 'loopback' ], [ '0:0:0:0:0:ffff:7f00:0001', 'loopback' ],
      [ '::ffff:169.254.169.254', 'link-local' ], [ '::ffff:a9fe:a9fe', 'link-local' ], [ '::ffff:10.0.0.1', 'private' ],
      [ '::ffff:0.0.0.0', 'unspecified' ], [ '::127.0.0.1', 'loopback' ], [ '64:ff9b::7f00:1', 'loopback' ],
      [ '64:ff9b::192.168.0.1', 'private' ],
      // Public addresses, also next to the private ranges.
      [ '8.8.8.8', undefined ], [ '172.32.0.1', undefined ], [ '172.15.255.255', undefined ], [ '169.253.255.255', undefined ],
      [ '100.128.0.1', undefined ], [ '11.0.0.1', undefined ], [ '2606:4700:4700::1111', undefined ],
      [ '::ffff:8.8.8.8', undefined ], [ '64:ff9b::808:808', undefined ], [ 'fbff::1', undefined ], [ 'fe00::1', undefined ],
      // Not an address at all: fail closed.
      [ 'localhost', 'unspecified' ], [ '', 'unspecified' ],
    ];
    for (const [ address, kind ] of cases) {
      it(`${address || '(empty)'} is ${kind ?? 'public'}.`, (): void => {
        assert.equal(getPrivateAddressKind(address), kind);
      });
    }

    it('reads the IPv4 address in mapped forms only.', (): void => {
      assert.equal(getEmbeddedIpv4('::ffff:7f00:1'), '127.0.0.1');
      assert.equal(getEmbeddedIpv4('::1'), undefined);
      assert.equal(getEmbeddedIpv4('2001:db8::7f00:1'), undefined);
      assert.equal(getEmbeddedIpv4('127.0.0.1'), undefined);
    });
  });

  describe('policy', (): void => {
    it('allows private addresses by default only when the FMP runs on loopback.', (): void => {
      assert.equal(getOutboundPolicy('http://localhost:3000/').privateAddresses, 'allow');
      assert.equal(getOutboundPolicy('http://app.localhost:3000/').privateAddresses, 'allow');
      assert.equal(getOutboundPolicy('http://127.0.0.1:3000/').privateAddresses, 'allow');
      assert.equal(getOutboundPolicy('http://[::1]:3000/').privateAddresses, 'allow');
      assert.equal(getOutboundPolicy('https://fmp.example/').privateAddresses, 'deny');
      assert.equal(getOutboundPolicy('http://10.0.0.5:3000/').privateAddresses, 'deny');
      assert.equal(getOutboundPolicy('http://localhost:3000/', 'deny').privateAddresses, 'deny');
      assert.equal(getOutboundPolicy('https://fmp.example/', 'allow').privateAddresses, 'allow');
      assert.deepEqual(getOutboundPolicy('https://fmp.example/pods/').allowedOrigins, [ 'https://fmp.example' ]);
    });

    it('parses the options, refusing what it does not understand.', (): void => {
      assert.equal(parseOutboundPrivate(' Deny '), 'deny');
      assert.equal(parseOutboundPrivate('allow'), 'allow');
      assert.throws((): unknown => parseOutboundPrivate('no'), OutboundSettingError);
      assert.deepEqual(parseAllowedHosts('peer.lan, 10.0.0.7,[fd00::7],,BRIDGE.local'), [ 'peer.lan', '10.0.0.7', 'fd00::7', 'bridge.local' ]);
      assert.deepEqual(parseAllowedHosts(undefined), []);
      assert.throws((): unknown => parseAllowedHosts('http://peer.lan'), /without scheme or port/u);
      assert.throws((): unknown => parseAllowedHosts('peer.lan:3000'), OutboundSettingError);
    });

    it('refuses if any resolved address is private, naming it.', (): void => {
      const target = { protocol: 'http:', hostname: 'mixed.test', port: '8080' };
      assert.equal(findRefusedAddress(DENY, target, [ '93.184.216.34' ]), undefined);
      const refusal = findRefusedAddress(DENY, target, [ '93.184.216.34', '10.1.2.3' ]);
      assert.equal(refusal?.message, 'http://mixed.test:8080 resolves to 10.1.2.3, a private address; ' +
        'this FMP does not send to private addresses (--outbound-private deny)');
    });

    it('exempts allowed hosts on any port, and allowed origins on their own port only.', (): void => {
      const policy: OutboundPolicy = { ...DENY, allowedHosts: [ 'peer.lan' ], allowedOrigins: [ 'http://localhost:3000' ]};
      assert.equal(findRefusedAddress(policy, { protocol: 'https:', hostname: 'peer.lan', port: '' }, [ '10.0.0.7' ]), undefined);
      assert.equal(findRefusedAddress(policy, { protocol: 'http:', hostname: 'localhost', port: '3000' }, [ '127.0.0.1' ]), undefined);
      assert.ok(findRefusedAddress(policy, { protocol: 'http:', hostname: 'localhost', port: '3001' }, [ '127.0.0.1' ]));
      assert.ok(findRefusedAddress(policy, { protocol: 'https:', hostname: 'localhost', port: '3000' }, [ '127.0.0.1' ]));
      assert.ok(findRefusedAddress(policy, { protocol: 'http:', hostname: 'other.lan', port: '' }, [ '10.0.0.8' ]));
      assert.equal(findRefusedAddress({ ...DENY, privateAddresses: 'allow' }, { protocol: 'http:', hostname: 'x', port: '' },
        [ '127.0.0.1' ]), undefined);
    });
  });

  describe('checking a URL ahead', (): void => {
    const guard = new OutboundGuard(DENY, resolverOf({ 'internal.test': [ '127.0.0.1' ], 'public.test': [ '93.184.216.34' ],
      'both.test': [ '93.184.216.34', 'fd00::1' ], 'mapped.test': [ '::ffff:169.254.169.254' ]}));

    after(async(): Promise<void> => guard.close());

    it('refuses IP literals and names that resolve to private addresses, saying why.', async(): Promise<void> => {
      await assert.rejects(guard.check('http://127.0.0.1:4444/hook', 'sendTo'), {
        name: 'OutboundRefusedError',
        message: 'sendTo http://127.0.0.1:4444/hook resolves to 127.0.0.1, a loopback address; ' +
          'this FMP does not send to private addresses (--outbound-private deny)',
      });
      await assert.rejects(guard.check('http://169.254.169.254/latest/meta-data/'), /169\.254\.169\.254, a link-local address/u);
      await assert.rejects(guard.check('http://[::ffff:7f00:1]/'), /resolves to ::ffff:7f00:1, a loopback address/u);
      await assert.rejects(guard.check('http://[::]/'), /an unspecified address/u);
      await assert.rejects(guard.check('http://0.0.0.0:80/'), /an unspecified address/u);
      await assert.rejects(guard.check('https://internal.test/'), /https:\/\/internal\.test\/ resolves to 127\.0\.0\.1, a loopback/u);
      await assert.rejects(guard.check('https://both.test/'), /fd00::1, a unique-local address/u);
      await assert.rejects(guard.check('https://mapped.test/'), /::ffff:169\.254\.169\.254, a link-local address/u);
    });

    it('lets public addresses pass, and refuses what is not http(s).', async(): Promise<void> => {
      await guard.check('https://public.test/inbox/');
      await assert.rejects(guard.check('file:///etc/passwd', 'sendTo'), { name: 'TypeError', message: 'sendTo file:///etc/passwd is not an http(s) URL.' });
      await assert.rejects(guard.check('https://nowhere.test/'), /ENOTFOUND/u);
    });
  });

  describe('requests', (): void => {
    let target: Listener;
    let other: Listener;

    beforeEach(async(): Promise<void> => {
      target = await listen();
      other = await listen();
    });

    afterEach(async(): Promise<void> => {
      target.server.close();
      other.server.close();
    });

    it('never connects to a private address under deny: literal, mapped literal or resolved name.', async(): Promise<void> => {
      const guard = new OutboundGuard(DENY, resolverOf({ 'internal.test': [ '127.0.0.1' ]}));
      try {
        const literal = await refusalOf(guard.fetch(`http://127.0.0.1:${target.port}/hook`, { method: 'POST', body: 'x' }));
        assert.equal(literal.message, `http://127.0.0.1:${target.port} resolves to 127.0.0.1, a loopback address; ` +
          'this FMP does not send to private addresses (--outbound-private deny)');
        await refusalOf(guard.fetch(`http://[::ffff:127.0.0.1]:${target.port}/`));
        const named = await refusalOf(guard.fetch(`http://internal.test:${target.port}/`));
        assert.equal(named.address, '127.0.0.1');
        assert.deepEqual(target.received, []);
      } finally {
        await guard.close();
      }
    });

    it('connects to the address it checked, for allowed hosts and the own origin.', async(): Promise<void> => {
      const guard = new OutboundGuard({ ...DENY, allowedHosts: [ 'peer.test' ], allowedOrigins: [ `http://127.0.0.1:${target.port}` ]},
        resolverOf({ 'peer.test': [ '127.0.0.1' ]}));
      try {
        assert.equal(await (await guard.fetch(`http://peer.test:${other.port}/a`)).text(), 'ok');
        assert.equal((await guard.fetch(`http://127.0.0.1:${target.port}/own`)).status, 200);
        await refusalOf(guard.fetch(`http://127.0.0.1:${other.port}/not-own`));
        assert.deepEqual(other.received, [ 'GET /a' ]);
        assert.deepEqual(target.received, [ 'GET /own' ]);
      } finally {
        await guard.close();
      }
    });

    it('checks each redirect again.', async(): Promise<void> => {
      const redirecting = await listen((request, response): void => {
        response.writeHead(307, { location: request.url === '/to-literal' ?
          `http://127.0.0.1:${target.port}/stolen` :
          `http://internal.test:${target.port}/stolen` }).end();
      });
      const guard = new OutboundGuard({ ...DENY, allowedHosts: [ 'peer.test' ]},
        resolverOf({ 'peer.test': [ '127.0.0.1' ], 'internal.test': [ '127.0.0.1' ]}));
      try {
        await refusalOf(guard.fetch(`http://peer.test:${redirecting.port}/to-literal`, { method: 'POST', body: 'secret' }));
        await refusalOf(guard.fetch(`http://peer.test:${redirecting.port}/to-name`));
        assert.deepEqual(redirecting.received, [ 'POST /to-literal', 'GET /to-name' ]);
        assert.deepEqual(target.received, []);
      } finally {
        await guard.close();
        redirecting.server.close();
      }
    });

    it('checks at connect time, so a name that resolves differently later (DNS rebinding) is refused.', async(): Promise<void> => {
      let answers = 0;
      const rebinding: HostResolver = async(): Promise<{ address: string }[]> => {
        answers += 1;
        return [{ address: answers === 1 ? '93.184.216.34' : '127.0.0.1' }];
      };
      const guard = new OutboundGuard(DENY, rebinding);
      try {
        await guard.check(`http://rebind.test:${target.port}/`);
        await refusalOf(guard.fetch(`http://rebind.test:${target.port}/`));
        assert.equal(answers, 2);
        assert.deepEqual(target.received, []);
      } finally {
        await guard.close();
      }
    });

    it('reaches private addresses under allow.', async(): Promise<void> => {
      const guard = new OutboundGuard({ ...DENY, privateAddresses: 'allow' });
      try {
        assert.equal((await guard.fetch(`http://127.0.0.1:${target.port}/dev`)).status, 200);
        assert.equal((await guard.fetch(`http://localhost:${target.port}/dev`)).status, 200);
        assert.deepEqual(target.received, [ 'GET /dev', 'GET /dev' ]);
      } finally {
        await guard.close();
      }
    });
  });
});
