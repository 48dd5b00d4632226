import { containerUrl } from '../../shapes/access/podIo';
import type { Connection } from './Connection';
import type { ConnectionStore } from './ConnectionStore';
import type { Link } from './LinkTable';
import type { BridgeLog } from './BridgeLog';
import type { JobOutcome, Outbox, OutboxJob } from './Outbox';
import { GrantMissingError } from './PodAccess';
import { retryDecision } from './retryDecision';
import type { BridgeTarget } from './BridgeTarget';
import type { ChannelKeeper } from './ChannelKeeper';
import type { InboundEvent, RemoteItem, TargetAdapter, TargetClient } from './TargetAdapter';

/**
 * Works the outbox: every change, from the pod or from a target, is recorded there before anything is sent, and
 * done here one job at a time per resource. Pod changes are read back from the pod (a notification is only a hint)
 * and sent when their hash differs from the link's; target changes are read back from the target and written into
 * the pod when they are newer than the last sync and not an echo of what the bridge sent.
 */
export class BridgeWorker {
  private readonly targets = new Map<string, BridgeTarget>();
  private readonly clients = new Map<string, TargetClient>();

  /**
   * @param targets - The targets this worker bridges, each with its bridge's pod access and link tables.
   * @param outbox - The durable queue of changes.
   * @param connections - Members' connections (settings, secrets, grant).
   * @param channels - Pod notification channels: each resource the bridge syncs gets one.
   * @param targetFetch - The fetch targets are called with (guarded by the FMP).
   * @param log - Where the worker tells what it did.
   * @param parallel - How many jobs run at once.
   * @param now - The clock.
   */
  public constructor(
    targets: readonly BridgeTarget[],
    private readonly outbox: Outbox,
    private readonly connections: ConnectionStore,
    private readonly channels: ChannelKeeper,
    private readonly targetFetch: typeof fetch,
    private readonly log: BridgeLog,
    private readonly parallel = 4,
    private readonly now: () => number = Date.now,
  ) {
    for (const target of targets) {
      this.targets.set(target.adapter.target, target);
    }
  }

  public targetOf(target: string): BridgeTarget | undefined {
    return this.targets.get(target);
  }

  public get allTargets(): BridgeTarget[] {
    return [ ...this.targets.values() ];
  }

  /** Records a job. */
  public async enqueue(job: { target: string; member: string; key: string; kind: string; payload?: unknown }): Promise<void> {
    await this.outbox.add(job, this.now());
  }

  /** Records what a pod notification says changed; a notification is a hint, the pod is read again. */
  public async podChanged(connection: Connection, type: string, object: string): Promise<void> {
    const { target, member } = connection;
    const containers = new Set(this.targets.get(target)?.adapter.containers.map((kind): string => containerUrl(connection.pod, kind)));
    if (containers.has(object)) {
      // A container's own update: written in bulk (an import, a restore), without a notification per resource.
      await this.enqueue({ target, member, key: 'all', kind: 'reconcile' });
    } else if (!object.endsWith('/')) {
      await this.enqueue({ target, member, key: object, kind: type === 'Delete' || type === 'Remove' ? 'remove' : 'push' });
    }
  }

  /** Records what a target's webhook says changed. */
  public async targetChanged(connection: Connection, events: readonly InboundEvent[]): Promise<void> {
    for (const event of events) {
      const key = event.kind === 'refresh' ? 'refresh' : 'targetId' in event ? event.targetId : `${event.detail[0]}=${event.detail[1]}`;
      await this.enqueue({ target: connection.target, member: connection.member, key, kind: 'pull', payload: event });
    }
  }

  /** Starts working the outbox; changed link tables are written in batches, and all of them whenever it is idle. */
  public start(): void {
    this.outbox.startWorking(async(job): Promise<JobOutcome> => {
      const outcome = await this.work(job);
      await this.saveLinks(false);
      return outcome;
    }, { parallel: this.parallel, onIdle: async(): Promise<void> => this.saveLinks(true) });
  }

  public async stop(): Promise<void> {
    await this.outbox.stopWorking();
    await this.saveLinks(true);
  }

  private async saveLinks(force: boolean): Promise<void> {
    try {
      for (const { links } of this.targets.values()) {
        await links.save(this.now(), force);
      }
    } catch (error: unknown) {
      this.log.warn(`Could not save a link table (will try again): ${(error as Error).message}`);
    }
  }

  private async work(job: OutboxJob): Promise<JobOutcome> {
    const target = this.targets.get(job.target);
    const connection = await this.connections.get(job.target, job.member);
    if (!target || !connection || connection.pausedBecause) {
      // Disconnected or without a grant: the bridge does nothing for this member.
      return { done: true };
    }
    if (job.resumed) {
      // Another worker stopped mid-job: what this process knows of the target (e.g. OFN's catalog index, read a few
      // minutes ago) may predate what that worker sent, so the client is made afresh.
      this.clients.delete(this.clientKey(connection));
    }
    try {
      await this.run(job, target, connection);
      return { done: true };
    } catch (error: unknown) {
      return this.fail(job, connection, error);
    }
  }

  private async run(job: OutboxJob, target: BridgeTarget, connection: Connection): Promise<void> {
    switch (job.kind) {
      case 'push':
        return this.push(target, connection, job.key);
      case 'remove':
        return this.remove(target, connection, job.key);
      case 'pull':
        return this.pull(target, connection, job.payload as InboundEvent);
      case 'reconcile':
        return this.reconcile(target, connection);
      case 'poll':
        return this.poll(target, connection);
      default:
        throw new Error(`Unknown job kind ${job.kind}`);
    }
  }

  /** Sends a pod resource to the target, unless the target already has what it holds. */
  private async push(target: BridgeTarget, connection: Connection, resource: string): Promise<void> {
    const { adapter, pods, links } = target;
    const item = await pods.read(resource);
    if (!item) {
      return this.remove(target, connection, resource);
    }
    const out = adapter.toTarget(item, connection);
    if (!out) {
      return;
    }
    await this.channels.ensureQuietly(connection, resource);
    const link = (await links.linksOf(connection)).get(resource);
    if (link?.hash === out.hash) {
      return;
    }
    const sent = await this.clientOf(adapter, connection).send(out, link);
    await links.set(connection, sent);
    this.log.info(`${adapter.label}: sent ${resource} of ${connection.member} as ${sent.targetId}`);
  }

  /** Archives the target record of a pod resource that is gone (checked: a notification is only a hint). */
  private async remove(target: BridgeTarget, connection: Connection, resource: string): Promise<void> {
    const { adapter, pods, links } = target;
    const link = (await links.linksOf(connection)).get(resource);
    if (!link) {
      return;
    }
    if (await pods.read(resource)) {
      return this.push(target, connection, resource);
    }
    await this.clientOf(adapter, connection).remove(link);
    await links.delete(connection, resource);
    this.log.info(`${adapter.label}: archived ${link.targetId}, as ${resource} of ${connection.member} is gone`);
  }

  /** Brings a target change into the pod: read from the target, newer than the last sync, and not an echo. */
  private async pull(target: BridgeTarget, connection: Connection, event: InboundEvent): Promise<void> {
    if (event.kind === 'refresh') {
      return this.refresh(target, connection);
    }
    const { adapter, pods, links } = target;
    const link = await links.find(connection, 'detail' in event ? { detail: event.detail } : { targetId: event.targetId });
    const targetId = 'targetId' in event ? event.targetId : link?.targetId;
    if (!targetId) {
      return;
    }
    const remote = event.kind === 'deleted' ? undefined : await this.clientOf(adapter, connection).get(targetId);
    if (!remote) {
      if (link) {
        await pods.remove(link.resource);
        await links.delete(connection, link.resource);
        this.log.info(`${adapter.label}: ${targetId} was deleted there, so ${link.resource} is removed from the pod`);
      }
      return;
    }
    await this.takeIn(target, connection, targetId, remote, link);
  }

  /** Every record the target holds, read once and each taken in where it differs from the last sync (not an echo). */
  private async refresh(target: BridgeTarget, connection: Connection): Promise<void> {
    const { adapter, links } = target;
    for await (const remote of this.clientOf(adapter, connection).list()) {
      await this.takeIn(target, connection, remote.targetId, remote, await links.find(connection, { targetId: remote.targetId }));
    }
  }

  /** Writes a target record into the pod unless it is what the link says both sides already agreed on. */
  private async takeIn(target: BridgeTarget, connection: Connection, targetId: string, remote: RemoteItem,
    link: Link | undefined): Promise<void> {
    const { adapter, pods, links } = target;
    const current = link ? await pods.read(link.resource) : undefined;
    const podChanged = link && current && adapter.toTarget(current, connection)?.hash !== link.hash;
    if (podChanged && (!remote.updatedAt || Date.parse(remote.updatedAt) <= Date.parse(link.syncedAt))) {
      // Both changed: the pod is the source of truth unless the target's change is newer than the last sync. A target
      // that dates nothing (OFN's DFC API) cannot show that, so the pod's change, queued to be sent, stands.
      return;
    }
    const item = adapter.toPod(remote, current, connection);
    const hash = adapter.toTarget(item, connection)?.hash ?? '';
    if (link?.hash === hash) {
      return;
    }
    // The link first: the pod's notification of this very write then finds nothing new to send back.
    const synced: Link = { resource: item.url, targetId, hash, syncedAt: new Date(this.now()).toISOString(),
      ...remote.details ? { details: remote.details } : link?.details ? { details: link.details } : {} };
    await links.set(connection, synced);
    await pods.write(adapter.containerOf(item.url, connection), item);
    await this.channels.ensureQuietly(connection, item.url);
    this.log.info(`${adapter.label}: took ${targetId} into ${item.url} of ${connection.member}`);
  }

  /** Full two-way reconciliation: every pod resource sent if it differs, every unlinked target record taken in. */
  private async reconcile(target: BridgeTarget, connection: Connection): Promise<void> {
    const { adapter, pods, links } = target;
    // The link table as the pod holds it now (imported or restored with it), merged with what the bridge knows.
    await links.refresh(connection);
    const linked = await links.linksOf(connection);
    const resources = new Set<string>();
    for (const kind of adapter.containers) {
      for (const resource of await pods.listDocuments(containerUrl(connection.pod, kind))) {
        resources.add(resource);
        await this.outbox.add({ target: connection.target, member: connection.member, key: resource, kind: 'push' }, this.now());
      }
    }
    for (const link of linked.values()) {
      if (!resources.has(link.resource)) {
        await this.outbox.add({ target: connection.target, member: connection.member, key: link.resource, kind: 'remove' },
          this.now());
      }
    }
    if (adapter.polls) {
      // Without webhooks, changes to linked records are only found by asking.
      await this.outbox.add({ target: connection.target, member: connection.member, key: 'poll', kind: 'poll' }, this.now());
    }
    const linkedIds = new Set([ ...linked.values() ].map((link): string => link.targetId));
    for await (const remote of this.clientOf(adapter, connection).list()) {
      if (!linkedIds.has(remote.targetId)) {
        await this.targetChanged(connection, [{ kind: 'changed', targetId: remote.targetId }]);
      }
    }
    await this.connections.update(connection.target, connection.member, (current): Connection | undefined =>
      current && { ...current, lastSyncAt: new Date(this.now()).toISOString() });
  }

  /**
   * Asks a target without webhooks what changed since the last poll and queues each change as a pull (the echo of
   * what the bridge sent itself is found there, by its hash). The cursor is the newest change time seen: the next poll
   * asks from it on, inclusive, so a change in the same second is not missed; what it already queued at that very time
   * is skipped (else a batch changed in one second would be read again on every poll).
   */
  private async poll(target: BridgeTarget, connection: Connection): Promise<void> {
    const client = this.clientOf(target.adapter, connection);
    if (!client.changedSince) {
      return;
    }
    const since = connection.pollCursor === undefined ? undefined : Date.parse(connection.pollCursor);
    const alreadySeen = new Set(connection.pollSeen ?? []);
    let cursor = connection.pollCursor;
    let seen = new Set(alreadySeen);
    for await (const remote of client.changedSince(connection.pollCursor)) {
      const changed = remote.updatedAt === undefined ? undefined : Date.parse(remote.updatedAt);
      if (changed !== undefined && changed === since && alreadySeen.has(remote.targetId)) {
        continue;
      }
      await this.targetChanged(connection, [{ kind: 'changed', targetId: remote.targetId }]);
      if (changed === undefined || Number.isNaN(changed)) {
        continue;
      }
      if (cursor === undefined || changed > Date.parse(cursor)) {
        cursor = remote.updatedAt;
        seen = new Set([ remote.targetId ]);
      } else if (changed === Date.parse(cursor)) {
        seen.add(remote.targetId);
      }
    }
    await this.connections.update(connection.target, connection.member, (current): Connection | undefined =>
      current && { ...current, ...cursor === undefined ? {} : { pollCursor: cursor, pollSeen: [ ...seen ] } });
  }

  private async fail(job: OutboxJob, connection: Connection, error: unknown): Promise<JobOutcome> {
    if (error instanceof GrantMissingError) {
      this.log.warn(`Bridge stops for ${job.member} at ${job.target}: ${error.message}`);
      await this.connections.update(job.target, job.member, (current): Connection | undefined =>
        current && { ...current, pausedBecause: `The member's grant no longer lets the bridge in: ${error.message}` });
      return { done: true };
    }
    const decision = retryDecision(job.attempts + 1, error, this.now());
    if ('deadLetter' in decision) {
      this.log.warn(`${job.target}: ${job.kind} ${job.key} of ${connection.member} is a dead letter: ${decision.deadLetter}`);
      return { deadLetter: decision.deadLetter };
    }
    const reason = (error as Error).message.split('\n')[0];
    this.log.info(`${job.target}: ${job.kind} ${job.key} of ${connection.member} failed (${reason}); ` +
      `again in ${Math.round((decision.retryAt - this.now()) / 100) / 10} s`);
    return { retryAt: decision.retryAt, error: reason };
  }

  private clientKey(connection: Connection): string {
    return `${connection.target}\n${connection.member}\n${JSON.stringify(connection.settings)}`;
  }

  private clientOf(adapter: TargetAdapter, connection: Connection): TargetClient {
    const key = this.clientKey(connection);
    let client = this.clients.get(key);
    if (!client) {
      client = adapter.open(connection, this.targetFetch);
      this.clients.set(key, client);
    }
    return client;
  }
}
