import Router from '@koa/router';
import Koa from 'koa';
import type { Context, Next } from 'koa';
import type { BridgeService } from '../BridgeService';
import type { Connection } from '../Connection';
import { TargetError } from '../targetErrors';
import type { MemberAuthenticator } from './MemberAuthenticator';

/** The most a webhook or request body may hold. */
const MAX_BODY_BYTES = 5_000_000;

/** What the bridges answer `GET /.fmp/bridges/identity` with: whom a member grants access to, per target. */
export type BridgeIdentities = Record<string, { webId: string }>;

/**
 * The bridge workers' HTTP side, reached through the FMP's public origin under `/.fmp/bridges/`: targets' webhooks,
 * pod notifications, and the member's commands (Solid-OIDC, the member only).
 */
export function createBridgeApp(service: BridgeService, auth: MemberAuthenticator, identities: BridgeIdentities): Koa {
  const app = new Koa();
  app.silent = true;
  app.use(errors);
  const router = new Router({ prefix: '/.fmp/bridges' });
  router.get('/identity', (ctx): void => {
    ctx.body = identities;
  });
  router.post('/notify/:target/:member', async(ctx): Promise<void> => {
    await service.receiveNotification(ctx.params.target, ctx.params.member, JSON.parse((await rawBody(ctx)).toString('utf8')));
    ctx.status = 202;
  });
  router.post('/:target/webhooks/:member', async(ctx): Promise<void> => {
    const headers = Object.fromEntries(Object.entries(ctx.headers).map(([ name, value ]): [string, string | undefined] =>
      [ name, Array.isArray(value) ? value.join(',') : value ]));
    const answer = await service.receiveWebhook(ctx.params.target, ctx.params.member, await rawBody(ctx), headers);
    ctx.status = answer.status;
    ctx.body = answer.text;
  });
  router.use('/:target/connections/:member', async(ctx, next): Promise<void> => {
    service.adapterOf(ctx.params.target);
    ctx.state.webId = await auth.requireMember(ctx, ctx.params.member);
    await next();
  });
  router.put('/:target/connections/:member', async(ctx): Promise<void> => {
    const body = JSON.parse((await rawBody(ctx)).toString('utf8')) as { grant?: Connection['grant']; settings?: Record<string, unknown> };
    ctx.body = await service.connect(ctx.params.target, ctx.params.member, auth.podOf(ctx.params.member), ctx.state.webId as string,
      requireGrant(body.grant), body.settings ?? {});
  });
  router.get('/:target/connections/:member', async(ctx): Promise<void> => {
    ctx.body = await service.status(ctx.params.target, ctx.params.member);
  });
  router.delete('/:target/connections/:member', async(ctx): Promise<void> => {
    await service.disconnect(ctx.params.target, ctx.params.member);
    ctx.status = 204;
  });
  router.post('/:target/connections/:member/sync', async(ctx): Promise<void> => {
    await service.sync(ctx.params.target, ctx.params.member);
    ctx.status = 202;
    ctx.body = await service.status(ctx.params.target, ctx.params.member);
  });
  router.get('/:target/connections/:member/preview', async(ctx): Promise<void> => {
    ctx.body = await service.preview(ctx.params.target, ctx.params.member);
  });
  router.post('/:target/connections/:member/retry', async(ctx): Promise<void> => {
    ctx.body = { retried: await service.retryDeadLetters(ctx.params.target, ctx.params.member) };
  });
  router.put('/:target/connections/:member/grant', async(ctx): Promise<void> => {
    const body = JSON.parse((await rawBody(ctx)).toString('utf8')) as { grant?: Connection['grant'] };
    ctx.body = await service.renew(ctx.params.target, ctx.params.member, requireGrant(body.grant));
  });
  app.use(router.routes()).use(router.allowedMethods());
  return app;
}

/** Every error as `{error}` with its status; what is not meant for the client is 500 without details. */
async function errors(ctx: Context, next: Next): Promise<void> {
  try {
    await next();
  } catch (error: unknown) {
    const { status, expose, message } = error as { status?: number; expose?: boolean; message: string };
    // A target's refusal is 502 whatever status the target answered: a 401 here would say the member's own
    // credentials failed, when it was the target that refused the token the member gave for it.
    const fromTarget = TargetError.isInstance(error);
    const known = error instanceof SyntaxError || fromTarget || (error as Error).name.endsWith('MappingError');
    ctx.status = fromTarget ? 502 : status ?? (error instanceof SyntaxError ? 400 : known ? 502 : 500);
    ctx.body = { error: expose || known || ctx.status < 500 ? message : 'Internal error of the bridge worker' };
    if (ctx.status === 500) {
      ctx.app.emit('error', error, ctx);
    }
  }
}

/** The request body as it came (webhook signatures are over these very bytes), within the size bound. */
async function rawBody(ctx: Context): Promise<Buffer> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of ctx.req) {
    size += (chunk as Buffer).length;
    if (size > MAX_BODY_BYTES) {
      throw Object.assign(new Error(`The body is larger than ${MAX_BODY_BYTES} bytes.`), { status: 413, expose: true });
    }
    chunks.push(chunk as Buffer);
  }
  return Buffer.concat(chunks);
}

function requireGrant(grant: unknown): Connection['grant'] {
  const { id, validUntil } = (grant ?? {}) as { id?: unknown; validUntil?: unknown };
  if (typeof id !== 'string' || typeof validUntil !== 'string' || Number.isNaN(Date.parse(validUntil))) {
    throw Object.assign(new Error('Send the grant the bridge works under: {"grant": {"id", "validUntil"}}.'), { status: 400, expose: true });
  }
  return { id, validUntil };
}
