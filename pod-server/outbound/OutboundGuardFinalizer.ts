import { Finalizer } from '@solid/community-server';
import type { ServerOutboundGuard } from './ServerOutboundGuard';

/** Closes the outbound guard's pooled connections when the server stops (tests start and stop many in one process). */
export class OutboundGuardFinalizer extends Finalizer {
  /** @param guard - The guard to close. */
  public constructor(private readonly guard: ServerOutboundGuard) {
    super();
  }

  public async handle(): Promise<void> {
    await this.guard.close();
  }
}
