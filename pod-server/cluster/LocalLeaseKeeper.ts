import type { Lease, LeaseKeeper } from './LeaseKeeper';

/** Leases for one FMP process, in its memory: a crashed process holds nothing. */
export class LocalLeaseKeeper implements LeaseKeeper {
  public readonly sharedWithOtherProcesses = false;
  private readonly held = new Set<string>();

  public async tryAcquire(name: string): Promise<Lease | undefined> {
    if (this.held.has(name)) {
      return undefined;
    }
    this.held.add(name);
    let released = false;
    return {
      release: async(): Promise<void> => {
        if (!released) {
          released = true;
          this.held.delete(name);
        }
      },
    };
  }

  public async isHeld(name: string): Promise<boolean> {
    return this.held.has(name);
  }
}
