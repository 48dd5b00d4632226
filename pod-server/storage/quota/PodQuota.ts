import { describeArchiveRefusal, describePodUsage } from './describePodUsage';
import type { PodSizeReporter } from './PodSizeReporter';

/**
 * The pod quota as imports and restores see it: they check an archive against it before writing anything, then
 * write with the per-write check off for that pod ({@link whileCheckedUpFront}), since on the way the pod may hold
 * old and new data at once (and a rollback must always be able to put the pod back).
 */
export class PodQuota {
  /** Pods whose writes were checked up front, with how many imports or restores are running in each. */
  private readonly checkedUpFront = new Map<string, number>();

  /**
   * @param limitBytes - The most bytes a pod may take; 0 for no quota.
   * @param sizes - Sizes of pods; without it (`--pod-quota 0`), there is no quota.
   */
  public constructor(public readonly limitBytes: number, private readonly sizes?: PodSizeReporter) {}

  /** Whether pods have a quota at all. */
  public get enabled(): boolean {
    return this.limitBytes > 0 && this.sizes !== undefined;
  }

  /** Bytes the pod at `podRoot` takes now (0 without a quota: nothing measures it). */
  public async usedBytes(podRoot: string): Promise<number> {
    return this.sizes ? (await this.sizes.getSize({ path: podRoot })).amount : 0;
  }

  /**
   * Why the pod at `podRoot` cannot become `resultingBytes` large by being `imported` or `restored` (one sentence
   * without a full stop), or `undefined` if that fits.
   */
  public async findExcess(podRoot: string, resultingBytes: number, action: 'imported' | 'restored'):
  Promise<string | undefined> {
    if (!this.enabled || resultingBytes <= this.limitBytes) {
      return undefined;
    }
    return describeArchiveRefusal(action, resultingBytes, await this.usedBytes(podRoot), this.limitBytes);
  }

  /** "This pod uses 1.05 GB of its 1 GB quota" if the pod at `podRoot` takes more than its quota now, else `undefined`. */
  public async findOverrun(podRoot: string): Promise<string | undefined> {
    if (!this.enabled) {
      return undefined;
    }
    const used = await this.usedBytes(podRoot);
    return used > this.limitBytes ? describePodUsage(used, this.limitBytes) : undefined;
  }

  /** Runs `work` (an import or restore checked up front) with the per-write check off for writes into `podRoot`. */
  public async whileCheckedUpFront<T>(podRoot: string, work: () => Promise<T>): Promise<T> {
    this.checkedUpFront.set(podRoot, (this.checkedUpFront.get(podRoot) ?? 0) + 1);
    try {
      return await work();
    } finally {
      const left = this.checkedUpFront.get(podRoot)! - 1;
      if (left > 0) {
        this.checkedUpFront.set(podRoot, left);
      } else {
        this.checkedUpFront.delete(podRoot);
      }
    }
  }

  /** Whether a write to `path` is part of an import or restore checked up front. */
  public isCheckedUpFront(path: string): boolean {
    for (const podRoot of this.checkedUpFront.keys()) {
      if (path.startsWith(podRoot)) {
        return true;
      }
    }
    return false;
  }

  /** Has the pod measured again: files were written around CSS's data accessor (an import's bulk writes). */
  public async forget(podRoot: string): Promise<void> {
    await this.sizes?.forget(podRoot);
  }
}
