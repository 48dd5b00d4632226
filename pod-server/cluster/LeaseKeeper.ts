/** Something held by one FMP process at a time: renewed while held, lapsing soon after a holder dies. */
export interface Lease {
  /** Gives it up. */
  release: () => Promise<void>;
}

/**
 * Named leases, for every "only one at a time" rule of the FMP (one import, restore or move per pod, the snapshot
 * schedule's leader, one writer of a shared file): in memory for one process, in Redis for several.
 */
export interface LeaseKeeper {
  /** Whether other processes hold leases here too (then nothing at start may assume it is alone). */
  readonly sharedWithOtherProcesses: boolean;
  /** Takes the lease `name` if nobody holds it, else answers undefined. */
  tryAcquire: (name: string) => Promise<Lease | undefined>;
  /** Whether anybody holds the lease `name` now. */
  isHeld: (name: string) => Promise<boolean>;
}

/** Runs `work` holding the lease `name`, waiting for it as long as another holds it. */
export async function runExclusively<T>(leases: LeaseKeeper, name: string, work: () => Promise<T>, retryDelayMs = 10): Promise<T> {
  let lease = await leases.tryAcquire(name);
  while (!lease) {
    await new Promise((resolve): NodeJS.Timeout => setTimeout(resolve, retryDelayMs * (1 + Math.random())));
    lease = await leases.tryAcquire(name);
  }
  try {
    return await work();
  } finally {
    await lease.release();
  }
}
