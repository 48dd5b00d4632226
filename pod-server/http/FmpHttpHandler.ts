import Router from '@koa/router';
import Koa from 'koa';
import type { CredentialsExtractor, HttpHandlerInput } from '@solid/community-server';
import { getLoggerFor, HttpHandler, NotImplementedHttpError } from '@solid/community-server';
import { errorResponses } from './errorResponses';
import type { FmpRoute } from './FmpRoute';

/** Serves the FMP's web routes under `/.fmp/` (and `/.well-known/fmp`) with a Koa app, on the pod server's own origin. */
export class FmpHttpHandler extends HttpHandler {
  protected readonly logger = getLoggerFor(this);
  private readonly prefix: string;
  private readonly identityPath: string;
  private readonly callback: (req: HttpHandlerInput['request'], res: HttpHandlerInput['response']) => Promise<void>;

  /**
   * @param baseUrl - The server's base URL; its path is where `/.fmp/` is mounted.
   * @param credentialsExtractor - Solid-OIDC (DPoP/Bearer) credentials of each request, for routes that need them.
   * @param routes - The routes to serve.
   */
  public constructor(baseUrl: string, credentialsExtractor: CredentialsExtractor, routes: FmpRoute[]) {
    super();
    const basePath = new URL(baseUrl).pathname.replace(/\/$/u, '');
    this.prefix = `${basePath}/.fmp/`;
    this.identityPath = `${basePath}/.well-known/fmp`;
    const app = new Koa();
    app.proxy = false;
    app.silent = true;
    app.use(errorResponses);
    app.use(async(ctx, next): Promise<void> => {
      ctx.state.credentials = async() => credentialsExtractor.handleSafe(ctx.req as HttpHandlerInput['request']);
      await next();
    });
    const router = new Router({ prefix: basePath });
    for (const route of routes) {
      router.register(route.path, [ route.method ], async(ctx): Promise<void> => route.handle(ctx));
    }
    app.use(router.routes()).use(router.allowedMethods());
    app.on('error', (error: Error): void => {
      this.logger.warn(`FMP route failed: ${error.message}`);
    });
    this.callback = app.callback() as unknown as typeof this.callback;
  }

  public async canHandle({ request }: HttpHandlerInput): Promise<void> {
    const url = request.url ?? '';
    if (!url.startsWith(this.prefix) && url.split('?')[0] !== this.identityPath) {
      throw new NotImplementedHttpError('Not an FMP route.');
    }
  }

  public async handle({ request, response }: HttpHandlerInput): Promise<void> {
    await this.callback(request, response);
  }
}
