/**
 * A counter per pod that moves on whenever the pod's grants change, so a process holding the grants in memory can
 * tell before each use whether they are still what is stored. In memory for one process, in Redis for several.
 */
export interface GrantGenerations {
  /** The pod's generation now. */
  current: (podRoot: string) => Promise<string>;
  /** Moves the pod's generation on; resolves once every process would see the new one. */
  advance: (podRoot: string) => Promise<void>;
}
