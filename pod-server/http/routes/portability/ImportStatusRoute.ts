import type { Context } from 'koa';
import type { PodOwnerGuard } from '../../../consent/PodOwnerGuard';
import type { ImportJournal } from '../../../portability/ImportJournal';
import { FmpRoute } from '../../FmpRoute';

/** `GET /.fmp/import/:member`: the last import into the owner's pod (`none`, `committing` or `done`) and whether one runs now. */
export class ImportStatusRoute extends FmpRoute {
  /**
   * @param guard - Checks the caller owns the pod.
   * @param journal - The imports this FMP recorded.
   */
  public constructor(private readonly guard: PodOwnerGuard, private readonly journal: ImportJournal) {
    super('GET', '/.fmp/import/:member');
  }

  public async handle(ctx: Context): Promise<void> {
    const { podRoot } = await this.guard.requireOwner(ctx);
    const member = String(ctx.params.member);
    ctx.body = { pod: podRoot, running: await this.journal.isRunning(member), state: 'none', ...await this.journal.read(member) };
  }
}
