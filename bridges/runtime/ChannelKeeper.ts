import type { BridgeLog } from './BridgeLog';
import type { Connection } from './Connection';
import type { ConnectionStore } from './ConnectionStore';
import type { Mutex } from './Mutex';
import { LocalMutex } from './Mutex';
import type { PodSubscriptions } from './PodSubscriptions';

/** Channels that end within this are renewed. */
const RENEW_BEFORE_MS = 2 * 24 * 3600_000;

/**
 * Keeps a connection's pod notification channels: one per container the bridge syncs (new and removed resources)
 * and one per resource it syncs (changes to it: a container hears of no change inside an existing resource), each
 * renewed before it ends. Channels are kept with the connection, so a restart neither loses nor repeats them, and each
 * topic is subscribed under a lock (across processes on Redis): two workers never both subscribe it, which would
 * bring every notification twice.
 */
export class ChannelKeeper {
  /**
   * @param connections - Members' connections, which record their channels.
   * @param subscriptionsOf - Each target's bridge subscribes as itself.
   * @param publicBaseUrl - The FMP's public base URL: notifications go to its `/.fmp/bridges/notify/…`.
   * @param log - Where failures are told.
   * @param now - The clock.
   * @param mutex - One subscription of a topic at a time.
   */
  public constructor(
    private readonly connections: ConnectionStore,
    private readonly subscriptionsOf: (target: string) => PodSubscriptions,
    private readonly publicBaseUrl: string,
    private readonly log: BridgeLog,
    private readonly now: () => number = Date.now,
    private readonly mutex: Mutex = new LocalMutex(),
  ) {}

  /** Subscribes to `topic` for the connection unless it already is. */
  public async ensure(connection: Connection, topic: string): Promise<void> {
    // The connection the caller holds usually knows already: no file read on every push.
    if (connection.subscriptions[topic]) {
      return;
    }
    await this.mutex.withLock(lockOf(connection, topic), async(): Promise<void> => this.subscribe(connection, topic));
  }

  /** Subscribes unless the stored connection has a channel for the topic (the caller holds the topic's lock). */
  private async subscribe(connection: Connection, topic: string): Promise<void> {
    const current = await this.connections.get(connection.target, connection.member);
    if (!current || current.subscriptions[topic]) {
      return;
    }
    const sendTo = new URL(`.fmp/bridges/notify/${connection.target}/${encodeURIComponent(connection.member)}`,
      this.publicBaseUrl).href;
    const channel = await this.subscriptionsOf(connection.target).subscribe(topic, sendTo);
    await this.connections.update(connection.target, connection.member, (latest): Connection | undefined => latest &&
      { ...latest, subscriptions: { ...latest.subscriptions, [topic]: channel }});
  }

  /** Like {@link ensure}, but a failure is only logged (a notification is a hint; the next sync catches up). */
  public async ensureQuietly(connection: Connection, topic: string): Promise<void> {
    await this.ensure(connection, topic).catch((error: Error): void =>
      this.log.warn(`Could not subscribe to ${topic}: ${error.message}`));
  }

  /** Renews the connection's channels that end soon. */
  public async renew(connection: Connection): Promise<void> {
    for (const [ topic, seen ] of Object.entries(connection.subscriptions)) {
      if (this.endsSoon(seen)) {
        await this.mutex.withLock(lockOf(connection, topic), async(): Promise<void> => this.renewChannel(connection, topic));
      }
    }
  }

  private endsSoon(channel?: { readonly endAt?: string }): boolean {
    return channel?.endAt !== undefined && Date.parse(channel.endAt) - this.now() < RENEW_BEFORE_MS;
  }

  /** Replaces the topic's channel if it still ends soon (another worker may have renewed it meanwhile). */
  private async renewChannel(connection: Connection, topic: string): Promise<void> {
    const channel = (await this.connections.get(connection.target, connection.member))?.subscriptions[topic];
    if (!channel || !this.endsSoon(channel)) {
      return;
    }
    await this.connections.update(connection.target, connection.member, (current): Connection | undefined => {
      if (!current) {
        return undefined;
      }
      const { [topic]: _old, ...rest } = current.subscriptions;
      return { ...current, subscriptions: rest };
    });
    await this.subscriptionsOf(connection.target).unsubscribe(channel.id).catch((): void => undefined);
    await this.subscribe(connection, topic);
  }

  /** Ends every channel of the connection (disconnect). */
  public async endAll(connection: Connection): Promise<void> {
    for (const { id } of Object.values(connection.subscriptions)) {
      await this.subscriptionsOf(connection.target).unsubscribe(id).catch((error: Error): void => this.log.warn(error.message));
    }
  }
}

function lockOf(connection: Pick<Connection, 'target' | 'member'>, topic: string): string {
  return `channel:${connection.target}:${connection.member}:${topic}`;
}
