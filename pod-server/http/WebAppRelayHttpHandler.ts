import type { HttpHandlerInput } from '@solid/community-server';
import { getLoggerFor, HttpHandler, NotImplementedHttpError } from '@solid/community-server';
import { clientAddressOf } from '../ratelimit/clientAddress';
import type { RateLimitSettings } from '../ratelimit/RateLimitSettings';
import { CLIENT_ADDRESS_HEADER, RELAY_KEY_HEADER } from '../ratelimit/relayedClientAddress';
import { relayRequest } from './relayRequest';

/**
 * Relays the member web app's pages (`/.fmp/` itself and everything under `/.fmp/app/`) to the web app, which runs
 * beside the pod server on a loopback port. The web app is an app like any other: members sign in to it through the
 * FMP's identity provider and it acts only with their tokens, so requests are passed on as they came, with one
 * addition: the client's address (as the rate limits see it, `--trust-proxy` honoured) and the relay's key, in place of
 * anything the client sent under those names. The app passes both on with a sign-up it makes for the client, so that
 * the sign-up limit counts each client apart rather than every sign-up through the app as one loopback client.
 *
 * The key is a secret in the data folder, not one per process: the app reaches the account API at the FMP's public
 * URL, which behind a load balancer may be another process on the same data folder.
 */
export class WebAppRelayHttpHandler extends HttpHandler {
  protected readonly logger = getLoggerFor(this);
  private readonly home: string;
  private readonly prefix: string;

  /**
   * @param baseUrl - The server's base URL; its path is where `/.fmp/` is mounted.
   * @param webAppUrl - Where the web app listens (e.g. `http://127.0.0.1:3200/`); empty when none runs.
   * @param settings - Which proxies to trust for the client address.
   * @param relayKey - The secret the relay, the web app and the rate limits share.
   */
  public constructor(baseUrl: string, private readonly webAppUrl: string, private readonly settings: RateLimitSettings,
    private readonly relayKey: string) {
    super();
    const basePath = new URL(baseUrl).pathname.replace(/\/$/u, '');
    this.home = `${basePath}/.fmp/`;
    this.prefix = `${basePath}/.fmp/app/`;
  }

  public async canHandle({ request }: HttpHandlerInput): Promise<void> {
    const url = request.url ?? '';
    if (url.split('?')[0] !== this.home && !url.startsWith(this.prefix)) {
      throw new NotImplementedHttpError('Not a web app page.');
    }
  }

  public async handle({ request, response }: HttpHandlerInput): Promise<void> {
    if (!this.webAppUrl) {
      request.resume();
      response.writeHead(503, { 'content-type': 'text/plain; charset=utf-8' });
      response.end('The member web app does not run on this FMP.\n');
      return;
    }
    const target = new URL(request.url!.slice(this.home.length), new URL('.fmp/', this.webAppUrl));
    await relayRequest({ request, response }, target, (error): void => {
      this.logger.warn(`The web app at ${this.webAppUrl} did not answer: ${error.message}`);
      if (!response.headersSent) {
        response.writeHead(503, { 'content-type': 'text/plain; charset=utf-8', 'retry-after': '30' });
      }
      response.end('The member web app is not answering; try again shortly.\n');
    }, {
      [CLIENT_ADDRESS_HEADER]: clientAddressOf(request, this.settings.trustedProxies),
      [RELAY_KEY_HEADER]: this.relayKey,
    });
  }
}
