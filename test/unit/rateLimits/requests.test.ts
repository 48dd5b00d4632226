import { strict as assert } from 'node:assert';
import type { Credentials, CredentialsExtractor, HttpHandlerInput, HttpRequest, HttpResponse } from '@solid/community-server';
import { clientAddressOf, normalizeAddress } from '../../../pod-server/ratelimit/clientAddress';
import { classifyRequest } from '../../../pod-server/ratelimit/limitedRequest';
import { MemoryRateCounterStore } from '../../../pod-server/ratelimit/MemoryRateCounterStore';
import { parseRateLimit } from '../../../pod-server/ratelimit/RateLimit';
import { RateLimitHttpHandler } from '../../../pod-server/ratelimit/RateLimitHttpHandler';
import { WindowLimiter } from '../../../pod-server/ratelimit/WindowLimiter';
import { FakeClock, HOUR } from './fakeClock';
import { settingsWith } from './settings';

/** Just what the rate limits read of a request. */
function requestOf(method: string, url: string, remoteAddress = '127.0.0.1', headers: Record<string, string> = {}): HttpRequest {
  return { method, url, headers, socket: { remoteAddress }} as unknown as HttpRequest;
}

describe('Which requests are limited, and from where', (): void => {
  describe('classifyRequest', (): void => {
    const cases: [string, string, string | undefined][] = [
      [ 'POST', '/.account/account/', 'signup' ],
      [ 'POST', '/.account/login/password/', 'login' ],
      [ 'POST', '/.fmp/consent/greenacres/grants', 'consent' ],
      [ 'POST', '/.fmp/consent/greenacres/grants/abc/revoke', 'consent' ],
      [ 'DELETE', '/.fmp/consent/greenacres/grants/abc', 'consent' ],
      [ 'POST', '/.fmp/inbox', 'inbox' ],
      [ 'POST', '/greenacres/inbox/', 'inbox' ],
      [ 'GET', '/.fmp/consent/greenacres/grants', undefined ],
      [ 'GET', '/.account/account/', undefined ],
      [ 'POST', '/.account/', undefined ],
      [ 'POST', '/.account/login/password/forgot/', undefined ],
      [ 'PUT', '/greenacres/inbox/message', undefined ],
      [ 'POST', '/greenacres/catalog/', undefined ],
      [ 'PUT', '/greenacres/catalog/carrots', undefined ],
    ];
    for (const [ method, path, kind ] of cases) {
      it(`${method} ${path} is ${kind ?? 'not limited'}.`, (): void => {
        assert.equal(classifyRequest(method, path), kind);
      });
    }
  });

  describe('clientAddressOf', (): void => {
    const forwarded = { 'x-forwarded-for': '10.9.9.9, 203.0.113.5' };

    it('takes the socket\'s peer and ignores X-Forwarded-For unless proxies are trusted.', (): void => {
      assert.equal(clientAddressOf(requestOf('POST', '/', '192.0.2.10', forwarded), 0), '192.0.2.10');
    });

    it('behind one trusted proxy takes the entry that proxy appended, not what the client wrote.', (): void => {
      assert.equal(clientAddressOf(requestOf('POST', '/', '10.0.0.2', forwarded), 1), '203.0.113.5');
      assert.equal(clientAddressOf(requestOf('POST', '/', '10.0.0.2', forwarded), 2), '10.9.9.9');
      assert.equal(clientAddressOf(requestOf('POST', '/', '10.0.0.2'), 1), '10.0.0.2', 'no header: the peer');
    });

    it('counts IPv4 mapped into IPv6 as IPv4, and IPv6 by its /64 network.', (): void => {
      assert.equal(normalizeAddress('::ffff:127.0.0.1'), '127.0.0.1');
      assert.equal(normalizeAddress('2001:db8:0:1:aaaa::1'), '2001:db8:0:1::/64');
      assert.equal(normalizeAddress('2001:db8:0:1:bbbb:cccc:dddd:2'), '2001:db8:0:1::/64');
      assert.equal(normalizeAddress('2001:db8::1'), '2001:db8:0:0::/64');
      assert.equal(normalizeAddress('::1'), '0:0:0:0::/64');
      assert.equal(normalizeAddress('::a:b:c:d:1.2.3.4'), '0:0:a:b::/64');
    });
  });

  describe('settings', (): void => {
    it('reads <count>/<duration> and names the setting it cannot read.', (): void => {
      assert.deepEqual(parseRateLimit('sign-up rate limit', '30/1h'), { count: 30, window: HOUR });
      assert.throws((): unknown => parseRateLimit('sign-up rate limit', '30 per hour'), /Invalid sign-up rate limit "30 per hour"/u);
      assert.throws((): unknown => parseRateLimit('sign-up rate limit', '0/1h'), /count of 1 or more/u);
      assert.throws((): unknown => parseRateLimit('sign-up rate limit', '30/1y'), /Invalid sign-up rate limit: Invalid duration "1y"/u);
      assert.throws((): unknown => settingsWith({ enabled: 'maybe' }), /use on or off/u);
      assert.throws((): unknown => settingsWith({ trustedProxies: -1 }), /trusted proxies/u);
      assert.throws((): unknown => settingsWith({ loginDelay: '2h', loginMaxDelay: '1h' }), /must not be shorter/u);
    });
  });

  describe('RateLimitHttpHandler', (): void => {
    let clock: FakeClock;
    let extracted: number;
    const credentials: CredentialsExtractor = {
      handleSafe: async(request: HttpRequest): Promise<Credentials> => {
        extracted += 1;
        const webId = request.headers.authorization?.replace('Test ', '');
        return webId ? { agent: { webId }} : {};
      },
    } as unknown as CredentialsExtractor;

    beforeEach((): void => {
      clock = new FakeClock();
      extracted = 0;
    });

    function handlerWith(settings = settingsWith({ signups: '2/1h', consentWrites: '2/1h' })): RateLimitHttpHandler {
      return new RateLimitHttpHandler('http://localhost:3000/', settings, new WindowLimiter(new MemoryRateCounterStore(clock), clock),
        credentials);
    }

    /** Asks twice, as CSS's handler waterfall does; answers whether the handler takes the request (to refuse it). */
    async function refuses(handler: RateLimitHttpHandler, request: HttpRequest): Promise<boolean> {
      const input = { request, response: {} as HttpResponse } as HttpHandlerInput;
      const verdicts = await Promise.all([ 1, 2 ].map(async(): Promise<boolean> => handler.canHandle(input).then((): boolean => true,
        (): boolean => false)));
      assert.equal(verdicts[0], verdicts[1]);
      return verdicts[0];
    }

    it('counts each request once although CSS asks twice, and refuses past the limit.', async(): Promise<void> => {
      const handler = handlerWith();
      assert.equal(await refuses(handler, requestOf('POST', '/.account/account/')), false);
      assert.equal(await refuses(handler, requestOf('POST', '/.account/account/')), false);
      assert.equal(await refuses(handler, requestOf('POST', '/.account/account/')), true);
      assert.equal(await refuses(handler, requestOf('POST', '/.account/account/', '192.0.2.1')), false, 'another address');
      clock.advance(HOUR);
      assert.equal(await refuses(handler, requestOf('POST', '/.account/account/')), false, 'after the window');
    });

    it('matches the path as CSS does, so encoding or doubled slashes do not get around a limit.', async(): Promise<void> => {
      const handler = handlerWith();
      await refuses(handler, requestOf('POST', '/.account/account/'));
      await refuses(handler, requestOf('POST', '/%2Eaccount/account/?x=1'));
      assert.equal(await refuses(handler, requestOf('POST', '//.account//account/')), true);
    });

    it('counts consent writes per account too, wherever they come from, and reads credentials once.', async(): Promise<void> => {
      const handler = handlerWith();
      const write = (address: string, webId: string): HttpRequest =>
        requestOf('POST', '/.fmp/consent/greenacres/grants', address, { authorization: `Test ${webId}` });
      assert.equal(await refuses(handler, write('192.0.2.1', 'https://a.example/#me')), false);
      assert.equal(await refuses(handler, write('192.0.2.2', 'https://a.example/#me')), false);
      assert.equal(await refuses(handler, write('192.0.2.3', 'https://a.example/#me')), true, 'the account is over its limit');
      assert.equal(await refuses(handler, write('192.0.2.3', 'https://b.example/#me')), false, 'another account, fresh address');
      assert.equal(extracted, 4);
    });

    it('fails closed: when the counters cannot be used, a limited request is refused with 503, others go on.',
      async(): Promise<void> => {
        const broken = new MemoryRateCounterStore(clock);
        broken.increment = async(): Promise<never> => {
          throw new Error('counter store unreachable');
        };
        const handler = new RateLimitHttpHandler('http://localhost:3000/', settingsWith(), new WindowLimiter(broken, clock), credentials);
        const written: { status?: number; headers?: Record<string, string>; body?: string } = {};
        const response = {
          writeHead(status: number, headers: Record<string, string>): void {
            Object.assign(written, { status, headers });
          },
          end(body: string): void {
            written.body = body;
          },
        } as unknown as HttpResponse;
        const request = requestOf('POST', '/.account/login/password/');
        assert.equal(await refuses(handler, request), true);
        await handler.handle({ request, response } as HttpHandlerInput);
        assert.equal(written.status, 503);
        assert.equal(written.headers?.['retry-after'], '60');
        assert.match(written.body ?? '', /cannot check its rate limits/u);
        assert.equal(await refuses(handler, requestOf('PUT', '/greenacres/catalog/carrots')), false);
      });

    it('leaves reads and other writes alone, and everything when the limits are off.', async(): Promise<void> => {
      const handler = handlerWith(settingsWith({ signups: '1/1h', enabled: 'off' }));
      for (let index = 0; index < 5; index += 1) {
        assert.equal(await refuses(handler, requestOf('POST', '/.account/account/')), false);
      }
      const limited = handlerWith(settingsWith({ signups: '1/1h' }));
      for (let index = 0; index < 5; index += 1) {
        assert.equal(await refuses(limited, requestOf('GET', '/.account/account/')), false);
        assert.equal(await refuses(limited, requestOf('PUT', '/greenacres/catalog/carrots')), false);
      }
    });
  });
});
