/**
 * Pods whose writes are refused for a while (`423 Locked`) so that one piece of work, such as a restore, sees and
 * leaves the pod exactly as it means to: no write is acknowledged and then silently undone. Reads go on. Freezing
 * first waits for the writes already under way in the pod to finish; the work's own writes pass; a freeze ends when its
 * work ends, however it ends, and never outlives a crashed process for long.
 */
export interface PodWriteFreezes {
  /**
   * Runs `work` while the pod at `podRoot` refuses every other write with `423` and `reason`; the freeze ends when
   * `work` settles. Throws {@link FreezeTimeoutError} (before `work` runs, the pod unfrozen) if writes under way do
   * not finish within the drain timeout, and {@link LockedHttpError} if the pod is frozen already.
   */
  whileFrozen: <T>(podRoot: string, reason: string, work: () => Promise<T>) => Promise<T>;
  /** Whether writes into the pod at `podRoot` are being refused now. */
  isFrozen: (podRoot: string) => Promise<boolean>;
  /**
   * Announces a write to `path`: throws {@link LockedHttpError} if its pod is frozen (unless the write is the freezing
   * work's own), else answers the function to call when the write has finished.
   */
  beginWrite: (path: string) => Promise<() => void>;
}
