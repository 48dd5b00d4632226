import { containerUrl } from '../../shapes/access/podIo';
import type { BridgeLog } from './BridgeLog';
import type { BridgeWorker } from './BridgeWorker';
import type { ChannelKeeper } from './ChannelKeeper';
import type { Connection, ConnectionSummary } from './Connection';
import { rememberWebhook, summarizeConnection } from './Connection';
import type { ConnectionStore } from './ConnectionStore';
import type { Mutex } from './Mutex';
import { LocalMutex } from './Mutex';
import type { Outbox, OutboxJob } from './Outbox';
import type { BridgeTarget } from './BridgeTarget';
import type { InboundResult, PodItem, TargetAdapter } from './TargetAdapter';

/** A grant that ends within this is announced to the member (once per grant end). */
const EXPIRY_NOTICE_MS = 7 * 24 * 3600_000;

/** What `status` shows a member. */
export interface BridgeStatus extends ConnectionSummary {
  readonly queue: number;
  readonly deadLetters: readonly { key: string; kind: string; reason?: string; attempts: number }[];
  readonly grantExpiresInDays: number;
}

/** What a sync would do to one pod resource. */
export interface PreviewLine {
  readonly resource: string;
  readonly action: 'create' | 'update' | 'unchanged' | 'archive' | 'refused';
  readonly reason?: string;
  readonly payload?: unknown;
}

/**
 * What members and targets ask of the bridges: connecting (settings checked at the target, pod notifications
 * subscribed, a first sync), status, preview, retrying dead letters, renewing and disconnecting; webhooks and pod
 * notifications recorded in the outbox; and upkeep (channels renewed, expiring grants announced in the member's inbox).
 */
export class BridgeService {
  /**
   * @param worker - Works the outbox.
   * @param outbox - The durable queue.
   * @param connections - Members' connections.
   * @param channels - Pod notification channels of each connection.
   * @param targetFetch - The fetch targets are called with.
   * @param log - Where upkeep is told.
   * @param now - The clock.
   * @param mutex - One expiry notice at a time per connection, across processes on Redis.
   */
  public constructor(
    private readonly worker: BridgeWorker,
    private readonly outbox: Outbox,
    private readonly connections: ConnectionStore,
    private readonly channels: ChannelKeeper,
    private readonly targetFetch: typeof fetch,
    private readonly log: BridgeLog,
    private readonly now: () => number = Date.now,
    private readonly mutex: Mutex = new LocalMutex(),
  ) {}

  public adapterOf(target: string): TargetAdapter {
    return this.targetOf(target).adapter;
  }

  private targetOf(target: string): BridgeTarget {
    const bridged = this.worker.targetOf(target);
    if (!bridged) {
      throw Object.assign(new Error(`There is no ${target} bridge on this FMP.`), { status: 404, expose: true });
    }
    return bridged;
  }

  /** Connects (or reconnects) a member's pod to a target, then queues a first full sync. */
  public async connect(target: string, member: string, pod: string, memberWebId: string,
    grant: Connection['grant'], settings: Record<string, unknown>): Promise<BridgeStatus> {
    const adapter = this.adapterOf(target);
    const checked = await adapter.prepareSettings(checkSettingsOf(adapter, settings), this.targetFetch);
    const previous = await this.connections.get(target, member);
    const connection: Connection = { target, member, pod, memberWebId, grant, settings: checked,
      subscriptions: previous?.subscriptions ?? {}, seenWebhookIds: previous?.seenWebhookIds ?? [],
      connectedAt: new Date(this.now()).toISOString() };
    await this.connections.save(connection);
    await this.targetOf(target).links.forget(connection);
    for (const kind of adapter.containers) {
      await this.channels.ensure(connection, containerUrl(pod, kind));
    }
    await this.worker.enqueue({ target, member, key: 'all', kind: 'reconcile' });
    return this.status(target, member);
  }

  /** Ends a connection: channels ended, queue and secrets forgotten (the CLI revokes the grant). */
  public async disconnect(target: string, member: string): Promise<void> {
    const connection = await this.requireConnection(target, member);
    const { links } = this.targetOf(target);
    await this.channels.endAll(connection);
    await this.outbox.forget(target, member);
    await links.forget(connection);
    await this.connections.remove(target, member);
  }

  public async status(target: string, member: string): Promise<BridgeStatus> {
    const connection = await this.requireConnection(target, member);
    const [ counts, dead ] = await Promise.all([ this.outbox.counts(target, member), this.outbox.deadLetters(target, member) ]);
    return {
      ...summarizeConnection(connection, this.adapterOf(target).secretSettings),
      queue: counts.pending,
      deadLetters: dead.map((job: OutboxJob): BridgeStatus['deadLetters'][number] =>
        ({ key: job.key, kind: job.kind, reason: job.lastError, attempts: job.attempts })),
      grantExpiresInDays: Math.floor((Date.parse(connection.grant.validUntil) - this.now()) / 864e5 * 10) / 10,
    };
  }

  /** Queues a full two-way reconciliation. */
  public async sync(target: string, member: string): Promise<void> {
    await this.requireConnection(target, member);
    await this.worker.enqueue({ target, member, key: 'all', kind: 'reconcile' });
  }

  /** What a sync would send, without sending anything. */
  public async preview(target: string, member: string): Promise<PreviewLine[]> {
    const connection = await this.requireConnection(target, member);
    const { adapter, links: linkCache, pods } = this.targetOf(target);
    const links = await linkCache.linksOf(connection);
    const lines: PreviewLine[] = [];
    const seen = new Set<string>();
    for (const kind of adapter.containers) {
      for (const resource of await pods.listDocuments(containerUrl(connection.pod, kind))) {
        seen.add(resource);
        lines.push(await this.previewOne(adapter, connection, await pods.read(resource), resource, links.get(resource)?.hash));
      }
    }
    for (const link of links.values()) {
      if (!seen.has(link.resource)) {
        lines.push({ resource: link.resource, action: 'archive' });
      }
    }
    return lines;
  }

  public async retryDeadLetters(target: string, member: string): Promise<number> {
    await this.requireConnection(target, member);
    const count = await this.outbox.retryDeadLetters(target, member, this.now());
    await this.worker.enqueue({ target, member, key: 'all', kind: 'reconcile' });
    return count;
  }

  /** Takes the member's renewed grant: the bridge works again if it had stopped. */
  public async renew(target: string, member: string, grant: Connection['grant']): Promise<BridgeStatus> {
    await this.requireConnection(target, member);
    await this.connections.update(target, member, (current): Connection | undefined => current &&
      { ...current, grant, pausedBecause: undefined, expiryNoticeFor: undefined });
    await this.worker.enqueue({ target, member, key: 'all', kind: 'reconcile' });
    return this.status(target, member);
  }

  /** Records what a target's webhook says (once per webhook id); answers how it went. */
  public async receiveWebhook(target: string, member: string, rawBody: Buffer,
    headers: Readonly<Record<string, string | undefined>>): Promise<{ status: number; text: string }> {
    const adapter = this.adapterOf(target);
    const connection = await this.connections.get(target, member);
    if (!connection) {
      return { status: 404, text: `${member} has not connected ${adapter.label}.` };
    }
    let result: InboundResult;
    try {
      result = adapter.receive(connection, rawBody, headers);
    } catch (error: unknown) {
      return { status: 400, text: `Webhook refused: ${(error as Error).message}` };
    }
    if (!result.accepted) {
      return { status: result.status, text: result.reason };
    }
    if (connection.seenWebhookIds.includes(result.webhookId)) {
      return { status: 200, text: 'Already handled.' };
    }
    await this.worker.targetChanged(connection, result.events);
    await this.connections.update(target, member, (current): Connection | undefined =>
      current && rememberWebhook(current, result.webhookId));
    return { status: 200, text: 'Recorded.' };
  }

  /** Records a pod notification (a hint: the pod is read again before anything is sent). */
  public async receiveNotification(target: string, member: string, body: { type?: unknown; object?: unknown }): Promise<void> {
    const connection = await this.connections.get(target, member);
    const type = typeof body.type === 'string' ? body.type.replace(/^.*[#/]/u, '') : '';
    if (connection && typeof body.object === 'string' && body.object.startsWith(connection.pod)) {
      await this.worker.podChanged(connection, type, body.object);
      if (type === 'Add' || type === 'Create') {
        // Without a grant the pod refuses the channel; the job just queued stops the bridge and says why.
        await this.channels.ensureQuietly(connection, body.object);
      }
    }
  }

  /** Queues a poll of every connection to a target without webhooks (the poll timer's tick). */
  public async poll(): Promise<void> {
    for (const bridged of this.worker.allTargets.filter((candidate): boolean => candidate.adapter.polls === true)) {
      for (const connection of await this.connections.list(bridged.adapter.target)) {
        if (!connection.pausedBecause) {
          await this.worker.enqueue({ target: connection.target, member: connection.member, key: 'poll', kind: 'poll' });
        }
      }
    }
  }

  /** Upkeep for every connection: channels renewed, expiring grants announced; on start, a sync to catch up. */
  public async maintain(catchUp: boolean): Promise<void> {
    for (const bridged of this.worker.allTargets) {
      for (const connection of await this.connections.list(bridged.adapter.target)) {
        try {
          await this.channels.renew(connection);
          // The stored connection, read under the lock: another process may have told the member meanwhile.
          await this.mutex.withLock(`expiry:${connection.target}:${connection.member}`, async(): Promise<void> => {
            const latest = await this.connections.get(connection.target, connection.member);
            await (latest && this.announceExpiry(bridged, latest));
          });
          if (catchUp && !connection.pausedBecause) {
            await this.worker.enqueue({ target: connection.target, member: connection.member, key: 'all', kind: 'reconcile' });
          }
        } catch (error: unknown) {
          this.log.warn(`Upkeep of ${connection.member}'s ${connection.target} bridge failed: ${(error as Error).message}`);
        }
      }
    }
  }

  /** Puts a notice in the member's inbox when the bridge's grant ends within a week (once per end date). */
  private async announceExpiry({ adapter, pods }: BridgeTarget, connection: Connection): Promise<void> {
    const endsIn = Date.parse(connection.grant.validUntil) - this.now();
    if (endsIn > EXPIRY_NOTICE_MS || connection.expiryNoticeFor === connection.grant.validUntil) {
      return;
    }
    const text = `Your ${adapter.label} bridge's access to your pod ${endsIn > 0 ? 'ends' : 'ended'} on ` +
      `${connection.grant.validUntil}. Renew it with: npx fmp bridge ${adapter.target} renew ${connection.member}`;
    await pods.post(`${connection.pod}inbox/`, {
      '@context': 'https://www.w3.org/ns/activitystreams',
      type: 'Announce',
      summary: text,
      object: { type: 'Object', name: `${adapter.label} bridge grant`, endTime: connection.grant.validUntil },
    });
    await this.connections.update(connection.target, connection.member, (current): Connection | undefined =>
      current && { ...current, expiryNoticeFor: connection.grant.validUntil });
    this.log.info(`Told ${connection.member} that the ${adapter.label} bridge's grant ends on ${connection.grant.validUntil}`);
  }

  private async previewOne(adapter: TargetAdapter, connection: Connection, item: PodItem | undefined, resource: string,
    linkedHash?: string): Promise<PreviewLine> {
    try {
      const out = item && adapter.toTarget(item, connection);
      if (!out) {
        return { resource, action: 'unchanged', reason: 'not something this target takes' };
      }
      return { resource, action: linkedHash === undefined ? 'create' : linkedHash === out.hash ? 'unchanged' : 'update',
        payload: out.payload };
    } catch (error: unknown) {
      return { resource, action: 'refused', reason: (error as Error).message };
    }
  }

  private async requireConnection(target: string, member: string): Promise<Connection> {
    const connection = await this.connections.get(target, member);
    if (!connection) {
      throw Object.assign(new Error(`${member} has not connected ${this.adapterOf(target).label}: ` +
        `npx fmp bridge ${target} connect ${member} …`), { status: 404, expose: true });
    }
    return connection;
  }
}

/** The adapter's check of connect's settings, whose refusal (a missing or malformed setting) is the caller's 400. */
function checkSettingsOf(adapter: TargetAdapter, settings: Record<string, unknown>): Record<string, string> {
  try {
    return adapter.checkSettings(settings);
  } catch (error: unknown) {
    const message = error instanceof TypeError && /Invalid URL/u.test(error.message) ?
      `Not a URL: ${(error as { input?: string }).input ?? ''}` :
      (error as Error).message;
    throw Object.assign(new Error(message, { cause: error }), { status: 400, expose: true });
  }
}
