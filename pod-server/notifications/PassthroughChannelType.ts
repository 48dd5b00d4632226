import type { Store } from 'n3';
import type {
  AccessMap,
  Credentials,
  NotificationChannel,
  NotificationChannelType,
  SubscriptionService,
} from '@solid/community-server';

/** A notification channel type that passes everything to `source`; subclasses change what they need (as CSS's PassthroughStore). */
export abstract class PassthroughChannelType implements NotificationChannelType {
  /** @param source - The channel type subscriptions are made with. */
  protected constructor(protected readonly source: NotificationChannelType) {}

  public getDescription(): SubscriptionService {
    return this.source.getDescription();
  }

  public async initChannel(data: Store, credentials: Credentials): Promise<NotificationChannel> {
    return this.source.initChannel(data, credentials);
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
