import { AsyncLocalStorage } from 'node:async_hooks';
import { getLoggerFor } from '@solid/community-server';
import { FreezeTimeoutError } from './FreezeTimeoutError';
import { LockedHttpError } from './LockedHttpError';
import type { PodWriteFreezes } from './PodWriteFreezes';

/**
 * Pods whose writes are refused for a while (`423 Locked`) so that one piece of work, such as a restore, sees and
 * leaves the pod exactly as it means to: no write is acknowledged and then silently undone. Reads go on.
 *
 * Freezing first waits for the writes already under way in the pod to finish, so nothing slips in between what the
 * work reads and what it writes. The work's own writes pass: they run in its async context. Freezes live in memory,
 * so a crashed process never leaves a pod frozen, and every freeze ends when its work ends, however it ends.
 * For one FMP process; {@link RedisPodWriteFreezes} does the same for several.
 */
export class LocalPodWriteFreezes implements PodWriteFreezes {
  protected readonly logger = getLoggerFor(this);
  /** Frozen pod roots, with the reason given to refused writers. */
  private readonly frozen = new Map<string, string>();
  /** The paths of the writes under way, one entry per write. */
  private readonly writing = new Map<symbol, string>();
  private readonly drainWaiters = new Set<() => void>();
  private readonly owner = new AsyncLocalStorage<string>();

  /** @param drainTimeoutMs - How long freezing waits for the writes under way before giving up. */
  public constructor(private readonly drainTimeoutMs = 30_000) {}

  /**
   * Runs `work` while the pod at `podRoot` refuses every other write with `423` and `reason`; the freeze ends when
   * `work` settles. Throws {@link FreezeTimeoutError} (before `work` runs, the pod unfrozen) if writes under way do
   * not finish within the drain timeout, and an error if the pod is frozen already.
   */
  public async whileFrozen<T>(podRoot: string, reason: string, work: () => Promise<T>): Promise<T> {
    if (this.frozen.has(podRoot)) {
      throw new LockedHttpError(this.frozen.get(podRoot));
    }
    this.frozen.set(podRoot, reason);
    try {
      await this.drain(podRoot);
      return await this.owner.run(podRoot, work);
    } finally {
      this.frozen.delete(podRoot);
    }
  }

  public async isFrozen(podRoot: string): Promise<boolean> {
    return this.frozen.has(podRoot);
  }

  public async beginWrite(path: string): Promise<() => void> {
    const root = this.frozenRootOf(path);
    if (root !== undefined && this.owner.getStore() !== root) {
      this.logger.debug(`Refused a write to ${path}: ${root} is frozen`);
      throw new LockedHttpError(this.frozen.get(root));
    }
    const key = Symbol(path);
    this.writing.set(key, path);
    return (): void => {
      this.writing.delete(key);
      for (const wake of this.drainWaiters) {
        wake();
      }
    };
  }

  private frozenRootOf(path: string): string | undefined {
    for (const root of this.frozen.keys()) {
      if (path.startsWith(root)) {
        return root;
      }
    }
  }

  /** Resolves once no write under `podRoot` is under way. */
  private async drain(podRoot: string): Promise<void> {
    const busy = (): boolean => [ ...this.writing.values() ].some((path): boolean => path.startsWith(podRoot));
    if (!busy()) {
      return;
    }
    await new Promise<void>((resolve, reject): void => {
      const done = (error?: Error): void => {
        clearTimeout(timer);
        this.drainWaiters.delete(check);
        return error ? reject(error) : resolve();
      };
      const check = (): void => {
        if (!busy()) {
          done();
        }
      };
      const timer = setTimeout((): void => done(new FreezeTimeoutError(`Writes into ${podRoot} were still running after ` +
        `${this.drainTimeoutMs / 1000} s; try again when they are done.`)), this.drainTimeoutMs);
      this.drainWaiters.add(check);
    });
  }
}
