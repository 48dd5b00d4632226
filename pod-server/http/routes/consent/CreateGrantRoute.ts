import type { Context } from 'koa';
import type { Grantee, Purpose } from '../../../../consent';
import { createGrant, GrantValidationError, parseDuration } from '../../../../consent';
import type { ConsentIssuer } from '../../../consent/ConsentIssuer';
import { grantToJson } from '../../../consent/grantJson';
import type { PeerDirectory } from '../../../consent/PeerDirectory';
import type { PodGrantStore } from '../../../consent/PodGrantStore';
import type { PodOwnerGuard } from '../../../consent/PodOwnerGuard';
import { FmpRoute } from '../../FmpRoute';
import { readJsonBody } from '../../readJsonBody';

/** What a member posts to create a grant. */
interface GrantRequestBody {
  grantee?: { webId?: string; clientId?: string; peer?: string; audience?: string };
  scope?: string[];
  modes?: string[];
  purpose?: string | Purpose;
  /** e.g. `90s`, `15m`, `2h`, `30d`; or give `validUntil`. */
  duration?: string;
  validFrom?: string;
  validUntil?: string;
}

/** `POST /.fmp/consent/:member/grants`: the owner grants access; answers the grant and its signed VC-JWT. */
export class CreateGrantRoute extends FmpRoute {
  /**
   * @param guard - Checks the caller owns the pod.
   * @param grants - Stores the grant in the pod's `consent/`.
   * @param issuer - Signs the grant.
   * @param peers - The listed peer FMPs a grant may name.
   * @param maxDuration - The FMP's longest grant, e.g. `90d`.
   */
  public constructor(
    private readonly guard: PodOwnerGuard,
    private readonly grants: PodGrantStore,
    private readonly issuer: ConsentIssuer,
    private readonly peers: PeerDirectory,
    private readonly maxDuration: string,
  ) {
    super('POST', '/.fmp/consent/:member/grants');
  }

  public async handle(ctx: Context): Promise<void> {
    const { podRoot, webId } = await this.guard.requireOwner(ctx);
    const body = await readJsonBody<GrantRequestBody>(ctx);
    const now = new Date();
    const validFrom = body.validFrom ? parseDate('validFrom', body.validFrom) : now;
    const validUntil = body.validUntil ?
      parseDate('validUntil', body.validUntil) :
      new Date(validFrom.getTime() + parseDuration(requireText('duration', body.duration)));
    const grant = createGrant({
      grantor: webId,
      podRoot,
      grantee: await this.toGrantee(body.grantee),
      scope: body.scope ?? [],
      modes: body.modes ?? [],
      purpose: typeof body.purpose === 'string' ? { text: body.purpose } : body.purpose ?? { text: '' },
      validFrom,
      validUntil,
    }, { now, maxDuration: parseDuration(this.maxDuration), peers: await this.peers.list() });
    await this.grants.writeGrant(grant);
    ctx.status = 201;
    ctx.set('Location', grant.id);
    ctx.body = { grant: grantToJson(grant, now), credential: await this.issuer.issue(grant) };
  }

  private async toGrantee(grantee: GrantRequestBody['grantee']): Promise<Grantee> {
    if (grantee?.audience !== undefined) {
      if (grantee.audience !== 'fmp-members' && grantee.audience !== 'public') {
        throw new GrantValidationError('grantee.audience', 'grantee.audience must be "fmp-members" or "public".');
      }
      if (Object.keys(grantee).length > 1) {
        throw new GrantValidationError('grantee', 'An audience grant names no WebID, client id or peer.');
      }
      return { kind: grantee.audience };
    }
    if (grantee?.peer) {
      const peer = await this.peers.find(grantee.peer);
      if (!peer) {
        throw new GrantValidationError('grantee', `${grantee.peer} is not a listed peer FMP (see GET /.fmp/peers).`);
      }
      return { kind: 'peer', issuer: peer.issuer, peerName: peer.name };
    }
    if (grantee?.clientId) {
      return { kind: 'app', clientId: grantee.clientId, ...grantee.webId ? { webId: grantee.webId } : {} };
    }
    return { kind: 'agent', webId: requireText('grantee.webId', grantee?.webId) };
  }
}

function requireText(field: string, value: unknown): string {
  if (typeof value !== 'string' || value.length === 0) {
    throw new GrantValidationError(field, `${field} is required.`);
  }
  return value;
}

function parseDate(field: string, value: string): Date {
  const date = new Date(value);
  if (Number.isNaN(date.getTime())) {
    throw new GrantValidationError(field, `${field} must be an ISO date-time, got ${JSON.stringify(value)}.`);
  }
  return date;
}
