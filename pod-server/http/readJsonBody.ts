import type { Context } from 'koa';

/** Reads a JSON request body (`application/json` or any `+json` type, e.g. JSON-LD) of at most `limit` bytes, or answers 400/413/415. */
export async function readJsonBody<T>(ctx: Context, limit = 65_536): Promise<T> {
  if (!ctx.is('application/json', '+json')) {
    ctx.throw(415, 'Send the body as application/json (or another JSON type, such as application/ld+json).');
  }
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of ctx.req) {
    size += (chunk as Buffer).length;
    if (size > limit) {
      ctx.throw(413, `The body is larger than ${limit} bytes.`);
    }
    chunks.push(chunk as Buffer);
  }
  try {
    return JSON.parse(Buffer.concat(chunks).toString('utf8')) as T;
  } catch (error: unknown) {
    return ctx.throw(400, `The body is not valid JSON: ${(error as Error).message}`);
  }
}
