import type { ActivityEmitter, IdentifierGenerator, ResourceIdentifier } from '@solid/community-server';
import { getLoggerFor, Initializer } from '@solid/community-server';
import { parseDuration } from '../../../consent/model/parseDuration';
import type { Lease, LeaseKeeper } from '../../cluster/LeaseKeeper';
import type { PodChangeTimes } from '../../cluster/PodChangeTimes';
import type { MemberDirectory } from '../../members/MemberDirectory';
import type { MoveRecords } from '../move/MoveRecords';
import type { SnapshotStore } from './SnapshotStore';
import type { SnapshotTaker } from './SnapshotTaker';

/**
 * Snapshots every member's pod every `interval` (the first round one interval after start), one pod at a time, as
 * `scheduled` snapshots, which the {@link SnapshotTaker} prunes. A pod that has not changed since its newest snapshot
 * is skipped (changes are heard from CSS's store while the server runs), and so is one that moved to another FMP. A
 * failure for one member is logged and the others go on. {@link SnapshotSchedulerFinalizer} stops it when the server stops.
 *
 * With several FMP processes, one runs the schedule: the one holding the `snapshot-schedule` lease, which it takes at
 * a round's time when nobody holds it and keeps while it lives; the others try again each interval.
 */
export class SnapshotScheduler extends Initializer {
  protected readonly logger = getLoggerFor(this);
  private leadership?: Lease;
  private startedAt = 0;
  private timer?: NodeJS.Timeout;
  private round?: Promise<void>;
  private stopped = true;

  /**
   * @param members - Every member with their pod and WebID.
   * @param taker - Takes and prunes the snapshots.
   * @param store - The stored snapshots, to know each pod's newest.
   * @param interval - How often, e.g. `1d`; `0` turns scheduled snapshots off (`urn:fmp:variable:snapshotInterval`).
   * @param baseUrl - The server's base URL, recorded in each archive.
   * @param identifierGenerator - Finds the pod of a changed resource.
   * @param emitter - CSS's resource store, which announces every change.
   * @param moves - Pods that moved away: their old copy is not snapshotted any more.
   * @param leases - The FMP's leases: one process runs the schedule.
   * @param changes - When each pod last changed, heard by any process.
   */
  public constructor(
    private readonly members: MemberDirectory,
    private readonly taker: SnapshotTaker,
    private readonly store: SnapshotStore,
    private readonly interval: string,
    private readonly baseUrl: string,
    private readonly identifierGenerator: IdentifierGenerator,
    emitter: ActivityEmitter,
    private readonly moves: MoveRecords,
    private readonly leases: LeaseKeeper,
    private readonly changes: PodChangeTimes,
  ) {
    super();
    emitter.on('changed', (target: ResourceIdentifier): void => this.recordChange(target));
  }

  public async handle(): Promise<void> {
    if (String(this.interval).trim() === '0') {
      this.logger.info('Scheduled snapshots are off (snapshot interval 0).');
      return;
    }
    // A wrong setting stops the server at start, with the message saying what is accepted.
    const every = parseDuration(String(this.interval));
    this.stopped = false;
    this.startedAt = Date.now();
    this.schedule(every);
  }

  /** Clears the timer and waits for a round under way to finish its current pod. */
  public async stop(): Promise<void> {
    this.stopped = true;
    clearTimeout(this.timer);
    this.timer = undefined;
    await this.round;
    await this.leadership?.release();
    this.leadership = undefined;
  }

  /** Snapshots every member whose pod changed since its newest snapshot (all of them in the first round). */
  public async runRound(): Promise<void> {
    for (const member of await this.members.listMembers()) {
      if (this.stopped) {
        return;
      }
      try {
        if (!member.webId || (await this.moves.find(member.pod))?.state === 'moved' || await this.unchanged(member.name, member.pod)) {
          continue;
        }
        await this.taker.take(member.name, { pod: member.pod, webId: member.webId, server: this.baseUrl }, 'scheduled');
      } catch (error: unknown) {
        this.logger.error(`Scheduled snapshot of ${member.name} failed: ${(error as Error).message}`);
      }
    }
  }

  /** Runs a round if this process holds the schedule's lease, taking it if nobody does. */
  private async runRoundIfLeader(): Promise<void> {
    this.leadership ??= await this.leases.tryAcquire('snapshot-schedule');
    if (this.leadership) {
      await this.runRound();
    }
  }

  private schedule(every: number): void {
    if (this.stopped) {
      return;
    }
    // Timed from the end of a round, so rounds never overlap; unref'd, so a timer never keeps the process alive.
    this.timer = setTimeout((): void => {
      this.round = this.runRoundIfLeader().catch((error: Error): void => {
        this.logger.error(`Scheduled snapshots failed: ${error.message}`);
      }).finally((): void => {
        this.round = undefined;
        this.schedule(every);
      });
    }, every);
    this.timer.unref();
  }

  /** Whether the pod's newest snapshot is newer than every change heard since the server started. */
  private async unchanged(name: string, pod: string): Promise<boolean> {
    const newest = (await this.store.list(name)).pop();
    if (!newest) {
      return false;
    }
    const taken = Date.parse(newest.takenAt);
    return taken > this.startedAt && taken > (await this.changes.lastChange(pod) ?? 0);
  }

  // `emit` is synchronous and uncaught in CSS: this must never throw.
  private recordChange(target: ResourceIdentifier): void {
    try {
      this.changes.record(this.identifierGenerator.extractPod(target).path, Date.now());
    } catch {
      // Not in a pod (the server's own /.internal/ data).
    }
  }
}
