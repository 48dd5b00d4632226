import type { HttpHandlerInput } from '@solid/community-server';
import { getLoggerFor, HttpHandler, NotImplementedHttpError } from '@solid/community-server';
import { relayRequest } from './relayRequest';

/**
 * Relays the member web app's pages (`/.fmp/` itself and everything under `/.fmp/app/`) to the web app, which runs
 * beside the pod server on a loopback port. The web app is an app like any other: members sign in to it through the
 * FMP's identity provider and it acts only with their tokens, so requests are passed on as they came.
 */
export class WebAppRelayHttpHandler extends HttpHandler {
  protected readonly logger = getLoggerFor(this);
  private readonly home: string;
  private readonly prefix: string;

  /**
   * @param baseUrl - The server's base URL; its path is where `/.fmp/` is mounted.
   * @param webAppUrl - Where the web app listens (e.g. `http://127.0.0.1:3200/`); empty when none runs.
   */
  public constructor(baseUrl: string, private readonly webAppUrl: string) {
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
    });
  }
}
