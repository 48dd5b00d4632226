/** A pod notification channel. */
export interface Subscription {
  readonly id: string;
  readonly endAt?: string;
}

const WEBHOOK_CHANNEL = 'http://www.w3.org/ns/solid/notifications#WebhookChannel2023';

/**
 * Subscribes to pod changes with the Solid Notifications Protocol's WebhookChannel2023, as the bridge: the pod
 * server posts each change of the topic to `sendTo`. Channels end (CSS: after two weeks at most), so they are renewed.
 */
export class PodSubscriptions {
  /**
   * @param subscriptionUrl - The FMP's WebhookChannel2023 subscription service (CSS: `<base>.notifications/WebhookChannel2023/`).
   * @param fetchFn - The bridge's authenticated fetch: subscribing needs read access to the topic.
   */
  public constructor(private readonly subscriptionUrl: string, private readonly fetchFn: typeof fetch) {}

  public async subscribe(topic: string, sendTo: string): Promise<Subscription> {
    const response = await this.fetchFn(this.subscriptionUrl, {
      method: 'POST',
      headers: { 'content-type': 'application/ld+json' },
      body: JSON.stringify({ '@context': [ 'https://www.w3.org/ns/solid/notification/v1' ], type: WEBHOOK_CHANNEL, topic, sendTo }),
    });
    const text = await response.text();
    if (!response.ok) {
      throw new Error(`Could not subscribe to ${topic}: ${response.status} ${text.split('\n')[0]}`);
    }
    const channel = JSON.parse(text) as { id: string; endAt?: string };
    return { id: channel.id, ...channel.endAt ? { endAt: channel.endAt } : {} };
  }

  /** Ends a channel; one already gone is fine. */
  public async unsubscribe(id: string): Promise<void> {
    const response = await this.fetchFn(id, { method: 'DELETE' });
    await response.arrayBuffer();
    if (!response.ok && response.status !== 404) {
      throw new Error(`Could not end the notification channel ${id}: ${response.status}`);
    }
  }
}
