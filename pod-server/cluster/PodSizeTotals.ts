/**
 * The known byte totals of pods, kept by the pod quota's {@link PodSizeReporter}: in memory for one FMP process, in
 * Redis for several, so a write through any process counts against the pod's quota on all of them.
 */
export interface PodSizeTotals {
  /** The total of the first of `containers` (a resource's containers, nearest first) whose total is known. */
  findFirst: (containers: string[]) => Promise<number | undefined>;
  /** Records a pod's walked total, unless one is known already (another process walked it first). */
  setIfUnknown: (podRoot: string, total: number) => Promise<void>;
  /** Adds `difference` to each of `containers` whose total is known; answers those it changed. */
  addToKnown: (containers: string[], difference: number) => Promise<string[]>;
  /** Forgets a pod's total: the next question walks it again. */
  forget: (podRoot: string) => Promise<void>;
}
