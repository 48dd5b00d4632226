import type { Context } from 'koa';

/** One route of the FMP's own web service under `/.fmp/`, mounted by {@link FmpHttpHandler}. */
export abstract class FmpRoute {
  /**
   * @param method - HTTP method this route answers.
   * @param path - Path below the server root, in @koa/router syntax, e.g. `/.fmp/health`.
   */
  public constructor(public readonly method: string, public readonly path: string) {}

  /** Answers one request; throw a Koa/`http-errors` error (`ctx.throw(403, …)`) to refuse it. */
  public abstract handle(ctx: Context): Promise<void>;
}
