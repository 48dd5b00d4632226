import type { Context, Next } from 'koa';

// Errors of the plain consent/ and shapes/ logic that describe bad input, by name.
const BAD_INPUT = new Set([ 'GrantValidationError', 'DurationError', 'PeerRegistryError', 'AccessRequestError',
  'ConsentParseError', 'RdfSyntaxError', 'ShapeViolationError' ]);

/** Koa middleware: every error becomes one JSON body `{ error }` with its status; bad input is 400, the rest 500. */
export async function errorResponses(ctx: Context, next: Next): Promise<void> {
  try {
    await next();
  } catch (error: unknown) {
    const { status, expose, message, name } = error as { status?: number; expose?: boolean; message: string; name: string };
    if (BAD_INPUT.has(name)) {
      ctx.status = 400;
      ctx.body = { error: message };
    } else {
      ctx.status = status ?? 500;
      ctx.body = { error: expose ? message : 'Internal server error' };
      if (!status || status >= 500) {
        ctx.app.emit('error', error, ctx);
      }
    }
  }
}
