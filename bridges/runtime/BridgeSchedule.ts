import type { BridgeLog } from './BridgeLog';

/** What the bridges do by the clock. */
export interface ScheduledWork {
  /** Done once when the bridges start (e.g. catching up with what changed while they were stopped). */
  readonly atStart: readonly { readonly name: string; readonly run: () => Promise<void> }[];
  /** Done every `everyMs` (upkeep, polls of targets without webhooks). */
  readonly every: readonly { readonly name: string; readonly everyMs: number; readonly run: () => Promise<void> }[];
}

/**
 * Runs the bridges' timed work: in this process ({@link TimerSchedule}), or once for all processes sharing a Redis
 * ({@link BullMqSchedule}), so several workers neither poll a target nor renew a channel once each.
 */
export interface BridgeSchedule {
  start: (work: ScheduledWork) => Promise<void>;
  close: () => Promise<void>;
}

/** The {@link BridgeSchedule} of one process: `atStart` work is done (and awaited) at once, the rest on timers. */
export class TimerSchedule implements BridgeSchedule {
  private readonly timers: NodeJS.Timeout[] = [];

  /** @param log - Where failures are told. */
  public constructor(private readonly log: BridgeLog) {}

  public async start(work: ScheduledWork): Promise<void> {
    for (const { run } of work.atStart) {
      await run();
    }
    for (const { name, everyMs, run } of work.every) {
      const timer = setInterval((): void => {
        run().catch((error: Error): void => this.log.warn(`Bridge ${name} failed: ${error.message}`));
      }, everyMs);
      timer.unref();
      this.timers.push(timer);
    }
  }

  public async close(): Promise<void> {
    for (const timer of this.timers.splice(0)) {
      clearInterval(timer);
    }
  }
}
