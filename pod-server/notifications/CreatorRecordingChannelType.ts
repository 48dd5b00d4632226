import type { Store } from 'n3';
import type {
  Credentials,
  KeyValueStorage,
  NotificationChannel,
  NotificationChannelType,
} from '@solid/community-server';
import { PassthroughChannelType } from './PassthroughChannelType';

/** Remembers which agent created each notification channel, so only that agent may delete it. */
export class CreatorRecordingChannelType extends PassthroughChannelType {
  /**
   * @param source - The channel type subscriptions are made with.
   * @param creators - Channel id → WebID of the agent that created it.
   */
  public constructor(
    source: NotificationChannelType,
    private readonly creators: KeyValueStorage<string, string>,
  ) {
    super(source);
  }

  public async initChannel(data: Store, credentials: Credentials): Promise<NotificationChannel> {
    const channel = await this.source.initChannel(data, credentials);
    // Recorded before authorization: a channel refused later leaves an unused entry behind, never a missing one.
    if (credentials.agent?.webId) {
      await this.creators.set(channel.id, credentials.agent.webId);
    }
    return channel;
  }
}
