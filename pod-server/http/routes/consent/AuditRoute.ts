import type { Context } from 'koa';
import type { GrantAuditor } from '../../../consent/GrantAuditor';
import type { PodOwnerGuard } from '../../../consent/PodOwnerGuard';
import { FmpRoute } from '../../FmpRoute';

/** `GET /.fmp/consent/:member/audit[?limit=n]`: every request a grant allowed, newest first, for the owner only. */
export class AuditRoute extends FmpRoute {
  /**
   * @param guard - Checks the caller owns the pod.
   * @param auditor - The pods' access logs.
   */
  public constructor(private readonly guard: PodOwnerGuard, private readonly auditor: GrantAuditor) {
    super('GET', '/.fmp/consent/:member/audit');
  }

  public async handle(ctx: Context): Promise<void> {
    const { podRoot } = await this.guard.requireOwner(ctx);
    const limit = ctx.query.limit === undefined ? 100 : Number(ctx.query.limit);
    if (!Number.isInteger(limit) || limit < 1) {
      ctx.throw(400, 'limit must be a positive whole number.');
    }
    const entries = await this.auditor.read(podRoot, limit);
    ctx.body = { entries: entries.map((entry): Record<string, unknown> => ({ ...entry, time: entry.time.toISOString() })) };
  }
}
