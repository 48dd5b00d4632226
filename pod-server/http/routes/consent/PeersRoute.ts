import type { Context } from 'koa';
import type { PeerDirectory } from '../../../consent/PeerDirectory';
import { FmpRoute } from '../../FmpRoute';

/** `GET /.fmp/peers`: the FMPs this one federates with. */
export class PeersRoute extends FmpRoute {
  public constructor(private readonly peers: PeerDirectory) {
    super('GET', '/.fmp/peers');
  }

  public async handle(ctx: Context): Promise<void> {
    ctx.body = { peers: await this.peers.list() };
  }
}
