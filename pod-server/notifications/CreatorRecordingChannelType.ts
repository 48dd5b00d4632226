import type { Store } from 'n3';
import type {
  AccessMap,
  Credentials,
  KeyValueStorage,
  NotificationChannel,
  NotificationChannelType,
  SubscriptionService,
} from '@solid/community-server';

/** Remembers which agent created each notification channel, so only that agent may delete it. */
export class CreatorRecordingChannelType implements NotificationChannelType {
  /**
   * @param source - The channel type subscriptions are made with.
   * @param creators - Channel id → WebID of the agent that created it.
   */
  public constructor(
    private readonly source: NotificationChannelType,
    private readonly creators: KeyValueStorage<string, string>,
  ) {}

  public getDescription(): SubscriptionService {
    return this.source.getDescription();
  }

  public async initChannel(data: Store, credentials: Credentials): Promise<NotificationChannel> {
    const channel = await this.source.initChannel(data, credentials);
    // Recorded before authorization: a channel refused later leaves an unused entry behind, never a missing one.
    if (credentials.agent?.webId) {
      await this.creators.set(channel.id, credentials.agent.webId);
    }
    return channel;
  }

  public async toJsonLd(channel: NotificationChannel): Promise<Record<string, unknown>> {
    return this.source.toJsonLd(channel);
  }

  public async extractModes(channel: NotificationChannel): Promise<AccessMap> {
    return this.source.extractModes(channel);
  }

  public async completeChannel(channel: NotificationChannel): Promise<void> {
    return this.source.completeChannel(channel);
  }
}
