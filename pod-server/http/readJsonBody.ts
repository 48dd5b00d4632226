import type { Context } from 'koa';
import { drainRequest } from './drainRequest';
import { readBodyUpTo } from './readBodyUpTo';

/**
 * How much of a refused body is read and dropped so that the client, still sending, gets the answer rather than a
 * reset connection; past it the connection is closed.
 */
const DRAIN_LIMIT = 16_000_000;

/** Reads a JSON request body (`application/json` or any `+json` type, e.g. JSON-LD) of at most `limit` bytes, or answers 400/413/415. */
export async function readJsonBody<T>(ctx: Context, limit = 65_536): Promise<T> {
  if (!ctx.is('application/json', '+json')) {
    await drainRequest(ctx.req, DRAIN_LIMIT);
    ctx.throw(415, 'Send the body as application/json (or another JSON type, such as application/ld+json).');
  }
  const chunks = await readBodyUpTo(ctx.req, limit);
  if (!chunks) {
    await drainRequest(ctx.req, DRAIN_LIMIT);
    ctx.throw(413, `The body is larger than ${limit} bytes.`);
  }
  try {
    return JSON.parse(Buffer.concat(chunks).toString('utf8')) as T;
  } catch (error: unknown) {
    return ctx.throw(400, `The body is not valid JSON: ${(error as Error).message}`);
  }
}

