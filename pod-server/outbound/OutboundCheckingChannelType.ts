import type { Store } from 'n3';
import type {
  Credentials,
  NotificationChannel,
  NotificationChannelType,
} from '@solid/community-server';
import { PassthroughChannelType } from '../notifications/PassthroughChannelType';
import { getLoggerFor } from '@solid/community-server';
import type { ServerOutboundGuard } from './ServerOutboundGuard';

/**
 * Refuses a subscription whose `sendTo` the outbound guard would not send to (a private address under
 * `--outbound-private deny`), so no channel is stored and nothing is ever sent. CSS answers the refusal with 422
 * and its reason. Deliveries are checked again when they are made (by the guarded webhook emitter).
 */
export class OutboundCheckingChannelType extends PassthroughChannelType {
  protected readonly logger = getLoggerFor(this);

  /**
   * @param source - The channel type subscriptions are made with (WebhookChannel2023).
   * @param guard - Where the FMP may send.
   */
  public constructor(
    source: NotificationChannelType,
    private readonly guard: ServerOutboundGuard,
  ) {
    super(source);
  }

  public async initChannel(data: Store, credentials: Credentials): Promise<NotificationChannel> {
    const channel = await this.source.initChannel(data, credentials);
    if (typeof channel.sendTo === 'string') {
      try {
        await this.guard.check(channel.sendTo, 'sendTo');
      } catch (error: unknown) {
        this.logger.warn(`Refused a subscription by ${credentials.agent?.webId ?? 'an anonymous agent'}: ${(error as Error).message}`);
        throw error;
      }
    }
    return channel;
  }
}
