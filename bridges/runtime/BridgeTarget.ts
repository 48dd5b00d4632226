import type { LinkStore } from './LinkStore';
import type { PodAccess } from './PodAccess';
import type { PodSubscriptions } from './PodSubscriptions';
import type { TargetAdapter } from './TargetAdapter';

/** One bridged target with what acts as its bridge in pods: each bridge has its own WebID, so its own session. */
export interface BridgeTarget {
  readonly adapter: TargetAdapter;
  /** Pod access as this bridge. */
  readonly pods: PodAccess;
  /** Members' link tables for this target. */
  readonly links: LinkStore;
  /** Pod notification channels, made as this bridge. */
  readonly subscriptions: PodSubscriptions;
}
