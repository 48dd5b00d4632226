import type { Context } from 'koa';
import { getLoggerFor } from '@solid/community-server';
import type { Grant, MoveDescription } from '../../../../consent';
import { getGrantState, parseDuration } from '../../../../consent';
import { normaliseHttpIri } from '../../../../consent/util/iri';
import type { ConsentIssuer } from '../../../consent/ConsentIssuer';
import type { PodGrantStore } from '../../../consent/PodGrantStore';
import type { PodOwnerGuard } from '../../../consent/PodOwnerGuard';
import type { MovedProfileWriter } from '../../../portability/move/MovedProfileWriter';
import type { CompletedMove, MoveRecords } from '../../../portability/move/MoveRecords';
import type { NewHomeChecker } from '../../../portability/move/NewHomeChecker';
import { FmpRoute } from '../../FmpRoute';
import { readJsonBody } from '../../readJsonBody';

/**
 * `POST /.fmp/move/:member` with `{toWebId, toPod}`, once the prepared (read-only) pod has been imported at its new
 * home: checks the new WebID claims the old one, points the old profile to it, starts forwarding the old pod (308)
 * and signs the Move activity. Answers the move and the grantees to tell. Idempotent, so an interrupted `fmp move`
 * can run again.
 */
export class MoveRoute extends FmpRoute {
  protected readonly logger = getLoggerFor(this);
  private readonly forwardingMs: number;

  /**
   * @param guard - Checks the caller owns the pod.
   * @param moves - Where moves are recorded (and forwarding looks).
   * @param checker - Reads the new profile.
   * @param profileWriter - Marks the old profile as moved.
   * @param issuer - Signs the Move.
   * @param grants - The pod's grants, whose grantees are told.
   * @param forwardingPeriod - How long old URLs forward, e.g. `180d`.
   */
  public constructor(
    private readonly guard: PodOwnerGuard,
    private readonly moves: MoveRecords,
    private readonly checker: NewHomeChecker,
    private readonly profileWriter: MovedProfileWriter,
    private readonly issuer: ConsentIssuer,
    private readonly grants: PodGrantStore,
    forwardingPeriod: string,
  ) {
    super('POST', '/.fmp/move/:member');
    this.forwardingMs = parseDuration(forwardingPeriod);
  }

  public async handle(ctx: Context): Promise<void> {
    const { podRoot, webId } = await this.guard.requireOwner(ctx);
    const body = await readJsonBody<{ toWebId?: unknown; toPod?: unknown }>(ctx);
    const toWebId = normaliseHttpIri(String(body.toWebId), true);
    const toPod = normaliseHttpIri(String(body.toPod));
    if (!toWebId || !toPod || !toPod.endsWith('/')) {
      ctx.throw(400, 'Send {"toWebId": <new WebID>, "toPod": <new pod URL ending in />}.');
    }
    const move: MoveDescription = { fromWebId: webId, fromPod: podRoot, toWebId, toPod };
    const found = await this.moves.find(podRoot);
    if (!found) {
      ctx.throw(409, `Prepare the move of ${podRoot} first (POST /.fmp/move/${String(ctx.params.member)}/prepare), so ` +
        'nothing is written to it while it is copied.');
    }
    if (found.state === 'moved' && (found.toWebId !== toWebId || found.toPod !== toPod)) {
      ctx.throw(409, `${podRoot} already moved to ${found.toPod} (${found.movedAt}).`);
    }
    let record = found;
    if (record.state === 'preparing') {
      const newInbox = await this.checker.check(move);
      await this.profileWriter.markMoved(move, newInbox);
      const now = new Date();
      record = {
        ...record,
        ...move,
        state: 'moved',
        movedAt: now.toISOString(),
        forwardUntil: new Date(now.getTime() + this.forwardingMs).toISOString(),
        activity: await this.issuer.signMove(move),
      };
      await this.moves.save(record);
      this.logger.info(`${podRoot} moved to ${toPod}; forwarding until ${record.forwardUntil}`);
    }
    ctx.body = await this.describe(record);
  }

  private async describe(record: CompletedMove): Promise<Record<string, unknown>> {
    const now = new Date();
    const grants = await this.grants.listGrants(record.fromPod);
    const live = grants.filter((grant): boolean => [ 'active', 'pending' ].includes(getGrantState(grant, now)));
    return {
      ...record,
      grantees: live.map((grant: Grant): Record<string, unknown> => ({ grant: grant.id, grantee: grant.grantee })),
      // Revoked here, perhaps after the copy was made: the mover revokes them at the new FMP too.
      revokedGrants: grants.filter((grant): boolean => getGrantState(grant, now) === 'revoked').map((grant): string => grant.id),
    };
  }
}
