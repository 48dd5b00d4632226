import { Finalizer } from '@solid/community-server';
import type { SnapshotScheduler } from './SnapshotScheduler';

/** Stops the {@link SnapshotScheduler} when the server stops (tests start and stop many servers in one process). */
export class SnapshotSchedulerFinalizer extends Finalizer {
  /** @param scheduler - The scheduler to stop. */
  public constructor(private readonly scheduler: SnapshotScheduler) {
    super();
  }

  public async handle(): Promise<void> {
    await this.scheduler.stop();
  }
}
