import type { Context } from 'koa';
import { NotFoundHttpError } from '@solid/community-server';
import type { Grant } from '../../../../consent';
import type { PodGrantStore } from '../../../consent/PodGrantStore';

/** The grant `ctx.params.id` of the pod, or 404. Ids are the last segment of the grant's IRI. */
export async function readOwnedGrant(ctx: Context, grants: PodGrantStore, podRoot: string): Promise<Grant> {
  const id = String(ctx.params.id ?? '');
  if (!/^[A-Za-z0-9_-]+$/u.test(id)) {
    ctx.throw(404, `No grant ${id}.`);
  }
  try {
    return await grants.readGrant(`${grants.getGrantContainer(podRoot)}${id}`);
  } catch (error: unknown) {
    if (NotFoundHttpError.isInstance(error)) {
      ctx.throw(404, `No grant ${id}.`);
    }
    throw error;
  }
}
