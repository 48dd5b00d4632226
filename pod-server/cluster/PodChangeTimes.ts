/**
 * When each pod last changed, as heard by any FMP process: the snapshot schedule skips pods that did not change since
 * their newest snapshot, and runs on one process while writes arrive on all of them.
 */
export interface PodChangeTimes {
  /** Notes that the pod at `podRoot` changed at `time` (ms since the epoch); never throws. */
  record: (podRoot: string, time: number) => void;
  /** The last change heard of, if any. */
  lastChange: (podRoot: string) => Promise<number | undefined>;
}
