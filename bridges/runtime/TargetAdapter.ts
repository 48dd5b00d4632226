import type { Quad } from '@rdfjs/types';
import type { ContainerKind } from '../../shapes/ContainerKind';
import type { Connection } from './Connection';
import type { Link } from './LinkTable';

/** A pod resource as the bridge read it (or will write it). */
export interface PodItem {
  readonly url: string;
  readonly quads: readonly Quad[];
}

/** What a pod resource becomes at the target, with a hash of it: equal hashes mean nothing to send. */
export interface Outgoing {
  readonly resource: string;
  readonly hash: string;
  readonly payload: unknown;
}

/** A record as the target holds it. */
export interface RemoteItem {
  readonly targetId: string;
  /** When the target last changed it (ISO 8601), if it says. */
  readonly updatedAt?: string;
  /** Other ids the target needs later (variants, inventory items). */
  readonly details?: Readonly<Record<string, string>>;
  readonly data: unknown;
}

/**
 * What a webhook from the target asks the bridge to look at; the bridge then reads the record from the target itself.
 * `refresh` says something changed without saying what (the Open Food Network's `refresh` event): every record the
 * bridge may sync is read again, and only what differs from the last sync is taken into the pod.
 */
export type InboundEvent =
  | { readonly kind: 'changed'; readonly targetId: string } |
  { readonly kind: 'changed'; readonly detail: readonly [ name: string, value: string ] } |
  { readonly kind: 'deleted'; readonly targetId: string } |
  { readonly kind: 'refresh' };

/** A webhook checked: refused with a status and reason, or accepted with what it is about. */
export type InboundResult =
  | { readonly accepted: false; readonly status: number; readonly reason: string } |
  { readonly accepted: true; readonly webhookId: string; readonly events: readonly InboundEvent[] };

/** A target's API for one connection. Failures are `TargetRetriableError` or `TargetRefusedError`. */
export interface TargetClient {
  /** Creates or updates the target record of `out` (idempotently: sending twice makes one record); returns the link. */
  send: (out: Outgoing, link?: Link) => Promise<Link>;
  /** Archives (or deletes) the linked record. */
  remove: (link: Link) => Promise<void>;
  /** Reads one record; `undefined` if the target has none. */
  get: (targetId: string) => Promise<RemoteItem | undefined>;
  /** Every record the bridge may sync, for a full reconciliation. */
  list: () => AsyncIterable<RemoteItem>;
  /**
   * For targets without webhooks (see {@link TargetAdapter.polls}): the records changed at or after `since` (ISO 8601;
   * every record when absent), each with its `updatedAt`.
   */
  changedSince?: (since?: string) => AsyncIterable<RemoteItem>;
}

/**
 * What the bridge runtime needs of one target (Shopify, the Open Food Network, farmOS). The mapping functions are
 * pure; the runtime owns the queue, retries, links, echo suppression, subscriptions, grants and logging.
 */
export interface TargetAdapter {
  /** The target's name in URLs and commands, e.g. `shopify`. */
  readonly target: string;
  /** Its name for people, e.g. `Shopify`. */
  readonly label: string;
  /** The pod containers it syncs: read from, and written into when the target changes. */
  readonly containers: readonly ContainerKind[];
  /** Whether the target sends no webhooks, so the bridge asks it for changes (its client's `changedSince`) now and then. */
  readonly polls?: boolean;
  /** Settings that are secret: stored, never shown. */
  readonly secretSettings: readonly string[];
  /** The settings `connect` was given, checked; throws an Error with a readable message. */
  checkSettings: (settings: Record<string, unknown>) => Record<string, string>;
  /** Completes the settings from the target itself when connecting (e.g. the shop's currency), checking they work. */
  prepareSettings: (settings: Record<string, string>, fetchFn: typeof fetch) => Promise<Record<string, string>>;
  /** What a pod resource becomes at the target; `undefined` if it is nothing this target takes. Throws a readable Error if it cannot be mapped. */
  toTarget: (item: PodItem, connection: Connection) => Outgoing | undefined;
  /** The pod resource a target record becomes, given the resource as it is now (if linked). */
  toPod: (remote: RemoteItem, current: PodItem | undefined, connection: Connection) => PodItem;
  /** The container kind a pod resource of this target is written into. */
  containerOf: (resource: string, connection: Connection) => ContainerKind;
  /** The target's API for `connection`, through `fetchFn` (guarded against private addresses by the FMP). */
  open: (connection: Connection, fetchFn: typeof fetch) => TargetClient;
  /** Checks a webhook from the target (signature, replay is the runtime's) and says what it is about. */
  receive: (connection: Connection, rawBody: Buffer, headers: Readonly<Record<string, string | undefined>>) => InboundResult;
}
