import type { HttpHandlerInput } from '@solid/community-server';
import { getLoggerFor, HttpHandler, NotImplementedHttpError } from '@solid/community-server';
import { relayRequest } from './relayRequest';

/**
 * Relays `/.fmp/bridges/…` to the bridge workers, so bridges are reached on the FMP's public origin (targets' webhooks,
 * pod notifications, members' bridge commands) wherever the workers run. The workers are apps: they authenticate
 * members and check webhooks themselves, so requests are passed on as they came, byte for byte.
 */
export class BridgeRelayHttpHandler extends HttpHandler {
  protected readonly logger = getLoggerFor(this);
  private readonly prefix: string;

  /**
   * @param baseUrl - The server's base URL; its path is where `/.fmp/bridges/` is mounted.
   * @param workerUrl - Where the bridge workers listen (e.g. `http://127.0.0.1:3100/`); empty when no worker runs.
   */
  public constructor(baseUrl: string, private readonly workerUrl: string) {
    super();
    this.prefix = `${new URL(baseUrl).pathname.replace(/\/$/u, '')}/.fmp/bridges/`;
  }

  public async canHandle({ request }: HttpHandlerInput): Promise<void> {
    if (!(request.url ?? '').startsWith(this.prefix)) {
      throw new NotImplementedHttpError('Not a bridge route.');
    }
  }

  public async handle({ request, response }: HttpHandlerInput): Promise<void> {
    if (!this.workerUrl) {
      request.resume();
      response.writeHead(503, { 'content-type': 'text/plain; charset=utf-8' });
      response.end('No bridge worker runs for this FMP (it was started with --no-bridges).\n');
      return;
    }
    const target = new URL(request.url!.slice(this.prefix.length), new URL('.fmp/bridges/', this.workerUrl));
    await relayRequest({ request, response }, target, (error): void => {
      this.logger.warn(`Bridge worker at ${this.workerUrl} did not answer: ${error.message}`);
      if (!response.headersSent) {
        response.writeHead(503, { 'content-type': 'text/plain; charset=utf-8', 'retry-after': '30' });
      }
      response.end('The bridge worker is not answering; try again shortly.\n');
    });
  }
}
