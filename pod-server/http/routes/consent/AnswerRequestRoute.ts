import type { Context } from 'koa';
import { approveRequest, createGrant, denyRequest, markRequest, parseDuration } from '../../../../consent';
import type { AccessRequestStore } from '../../../consent/AccessRequestStore';
import { accessRequestToJson } from '../../../consent/accessRequestJson';
import type { ConsentIssuer } from '../../../consent/ConsentIssuer';
import { grantToJson } from '../../../consent/grantJson';
import type { PeerDirectory } from '../../../consent/PeerDirectory';
import type { PodGrantStore } from '../../../consent/PodGrantStore';
import type { PodOwnerGuard } from '../../../consent/PodOwnerGuard';
import { FmpRoute } from '../../FmpRoute';
import { readJsonBody } from '../../readJsonBody';

/** `POST /.fmp/consent/:member/requests/:id/(approve|deny)`; approval may shorten (`duration`) or narrow (`scope`). */
export class AnswerRequestRoute extends FmpRoute {
  /**
   * @param guard - Checks the caller owns the pod.
   * @param requests - The requests in the inbox.
   * @param grants - Stores the grant an approval creates.
   * @param issuer - Signs that grant.
   * @param peers - The listed peer FMPs.
   * @param maxDuration - The FMP's longest grant, e.g. `90d`.
   */
  public constructor(
    private readonly guard: PodOwnerGuard,
    private readonly requests: AccessRequestStore,
    private readonly grants: PodGrantStore,
    private readonly issuer: ConsentIssuer,
    private readonly peers: PeerDirectory,
    private readonly maxDuration: string,
  ) {
    super('POST', '/.fmp/consent/:member/requests/:id/:decision');
  }

  public async handle(ctx: Context): Promise<void> {
    const { podRoot } = await this.guard.requireOwner(ctx);
    const { id, decision } = ctx.params as { id: string; decision: string };
    if (decision !== 'approve' && decision !== 'deny') {
      ctx.throw(404, 'Answer a request with /approve or /deny.');
    }
    const request = /^[A-Za-z0-9._-]+$/u.test(id) ? await this.requests.tryRead(`${podRoot}inbox/${id}`) : undefined;
    if (!request) {
      ctx.throw(404, `No access request ${id} in the inbox.`);
    }
    const now = new Date();
    if (decision === 'deny') {
      const denied = denyRequest(request, now);
      await this.requests.writeRequest(denied);
      ctx.body = { request: accessRequestToJson(denied) };
      return;
    }
    const body = ctx.request.length ? await readJsonBody<{ duration?: string; scope?: string[] }>(ctx) : {};
    const input = approveRequest(request, {
      now,
      podRoot,
      shortenTo: body.duration ? parseDuration(body.duration) : undefined,
      narrowScope: body.scope?.map((entry): string => new URL(entry, podRoot).href),
    });
    const grant = createGrant(input, { now, maxDuration: parseDuration(this.maxDuration), peers: await this.peers.list() });
    await this.grants.writeGrant(grant);
    const approved = markRequest(request, 'approved', now);
    await this.requests.writeRequest(approved);
    ctx.status = 201;
    ctx.body = { request: accessRequestToJson(approved), grant: grantToJson(grant, now), credential: await this.issuer.issue(grant) };
  }
}
