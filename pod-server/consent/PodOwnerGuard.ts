import type { Context } from 'koa';
import type { Credentials, PodStore } from '@solid/community-server';

/** The member whose pod a consent route works on, once their ownership is checked. */
export interface OwnedPod {
  podRoot: string;
  webId: string;
}

/** Lets a consent route through only for the owner of the pod named in its `:member` path parameter. */
export class PodOwnerGuard {
  /**
   * @param podStore - CSS's pod store, which knows each pod's owners.
   * @param baseUrl - The server's base URL; member `x` has pod `<baseUrl>x/`.
   */
  public constructor(private readonly podStore: PodStore, private readonly baseUrl: string) {}

  /** The pod of `ctx.params.member`, or a 401/403/404 thrown into Koa. */
  public async requireOwner(ctx: Context): Promise<OwnedPod> {
    const member = String(ctx.params.member ?? '');
    const credentials = await (ctx.state.credentials as () => Promise<Credentials>)();
    const webId = credentials.agent?.webId;
    if (!webId) {
      ctx.set('WWW-Authenticate', 'DPoP realm="fmp", Bearer realm="fmp"');
      ctx.throw(401, 'Log in as the member (Solid-OIDC) to manage their consent.');
    }
    const podRoot = new URL(`${encodeURIComponent(member)}/`, this.baseUrl).href;
    const pod = await this.podStore.findByBaseUrl(podRoot);
    if (!pod) {
      ctx.throw(404, `No member named ${member}.`);
    }
    const owners = await this.podStore.getOwners(pod.id) ?? [];
    if (!owners.some((owner): boolean => owner.webId === webId)) {
      ctx.throw(403, `Only the owner of ${podRoot} may manage its consent.`);
    }
    return { podRoot, webId };
  }
}
