import type { Context, Next } from 'koa';

// Errors of the plain consent/ and shapes/ logic that describe bad input, by name.
const BAD_INPUT = new Set([ 'GrantValidationError', 'DurationError', 'PeerRegistryError', 'AccessRequestError',
  'ConsentParseError', 'RdfSyntaxError', 'ShapeViolationError' ]);

/** Koa middleware: every error becomes one JSON body `{ error }` with its status; bad input is 400, the rest 500. */
export async function errorResponses(ctx: Context, next: Next): Promise<void> {
  try {
    await next();
  } catch (error: unknown) {
    const { expose, message, name, statusCode } = error as
      { status?: number; statusCode?: number; expose?: boolean; message: string; name: string };
    // CSS's HttpErrors (e.g. a 423 from a frozen pod's store) carry `statusCode`; their 4xx messages are for the client.
    const status = (error as { status?: number }).status ?? statusCode;
    if (BAD_INPUT.has(name)) {
      ctx.status = 400;
      ctx.body = { error: message };
    } else {
      ctx.status = status ?? 500;
      ctx.body = { error: expose || (statusCode && statusCode < 500) ? message : 'Internal server error' };
      if (!status || status >= 500) {
        ctx.app.emit('error', error, ctx);
      }
    }
  }
}
