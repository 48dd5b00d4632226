/** A member's connection of their pod to one target system, as the bridge worker keeps it (never in the pod). */
export interface Connection {
  readonly target: string;
  /** The member's name on the FMP, e.g. `greenacres`. */
  readonly member: string;
  /** The member's pod root and WebID. */
  readonly pod: string;
  readonly memberWebId: string;
  /** The consent grant the bridge works under, and until when. */
  readonly grant: { readonly id: string; readonly validUntil: string };
  /** The target's settings, secrets included (API tokens, webhook secrets): never printed, never in pod data. */
  readonly settings: Readonly<Record<string, string>>;
  /** Pod notification channels by topic URL, to renew and to remove. */
  readonly subscriptions: Readonly<Record<string, { readonly id: string; readonly endAt?: string }>>;
  /** Ids of the target's webhooks handled lately, so a replay changes nothing. */
  readonly seenWebhookIds: readonly string[];
  readonly connectedAt: string;
  readonly lastSyncAt?: string;
  /** For a target the bridge polls: the newest change time seen there, where the next poll starts. */
  readonly pollCursor?: string;
  /** The records changed at exactly `pollCursor` that were already queued: the next poll (from it on, inclusive) skips them. */
  readonly pollSeen?: readonly string[];
  /** Why the bridge stopped working for this member (its grant was revoked or expired), if it did. */
  readonly pausedBecause?: string;
  /** When the member was last told that the grant will expire soon. */
  readonly expiryNoticeFor?: string;
}

/** What a member's bridge status shows: the connection without its secrets. */
export type ConnectionSummary = Omit<Connection, 'settings' | 'seenWebhookIds' | 'subscriptions'> & {
  readonly settings: Readonly<Record<string, string>>;
  readonly subscriptions: number;
};

/**
 * The connection as it may be shown: settings whose names say they are secret are left out, the rest kept.
 * The connection is not modified.
 */
export function summarizeConnection(connection: Connection, secretSettings: readonly string[]): ConnectionSummary {
  const { settings, seenWebhookIds: _seen, subscriptions, ...rest } = connection;
  return {
    ...rest,
    settings: Object.fromEntries(Object.entries(settings).filter(([ name ]): boolean => !secretSettings.includes(name))),
    subscriptions: Object.keys(subscriptions).length,
  };
}

/** How many webhook ids a connection remembers; a target retries for days, but not thousands of times. */
const REMEMBERED_WEBHOOKS = 1000;

/** The connection with `webhookId` remembered as handled (the oldest forgotten past a bound). */
export function rememberWebhook(connection: Connection, webhookId: string): Connection {
  return { ...connection, seenWebhookIds: [ ...connection.seenWebhookIds, webhookId ].slice(-REMEMBERED_WEBHOOKS) };
}
