import { createServer } from 'node:http';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Redis } from 'ioredis';
import type { BridgeLog } from '../../bridges/runtime/BridgeLog';
import { consoleBridgeLog } from '../../bridges/runtime/BridgeLog';
import type { BridgeSchedule } from '../../bridges/runtime/BridgeSchedule';
import { TimerSchedule } from '../../bridges/runtime/BridgeSchedule';
import { BridgeService } from '../../bridges/runtime/BridgeService';
import { BullMqOutbox } from '../../bridges/runtime/BullMqOutbox';
import { BullMqSchedule } from '../../bridges/runtime/BullMqSchedule';
import type { BridgeTarget } from '../../bridges/runtime/BridgeTarget';
import { BridgeWorker } from '../../bridges/runtime/BridgeWorker';
import { ChannelKeeper } from '../../bridges/runtime/ChannelKeeper';
import { ConnectionStore } from '../../bridges/runtime/ConnectionStore';
import { createBridgeApp } from '../../bridges/runtime/http/bridgeApp';
import { MemberAuthenticator } from '../../bridges/runtime/http/MemberAuthenticator';
import { LinkCache } from '../../bridges/runtime/LinkCache';
import type { LinkStore } from '../../bridges/runtime/LinkStore';
import type { Mutex } from '../../bridges/runtime/Mutex';
import { LocalMutex } from '../../bridges/runtime/Mutex';
import type { Outbox } from '../../bridges/runtime/Outbox';
import { PodAccess } from '../../bridges/runtime/PodAccess';
import { PodSubscriptions } from '../../bridges/runtime/PodSubscriptions';
import { RedisLinkCache } from '../../bridges/runtime/RedisLinkCache';
import { RedisMutex } from '../../bridges/runtime/RedisMutex';
import { SqliteOutbox } from '../../bridges/runtime/SqliteOutbox';
import type { TargetAdapter } from '../../bridges/runtime/TargetAdapter';
import { ofnAdapter } from '../../bridges/ofn/OfnAdapter';
import { shopifyAdapter } from '../../bridges/shopify/ShopifyAdapter';
import { farmosAdapter } from '../../bridges/farmos/FarmosAdapter';
import type { OutboundPrivateSetting } from '../../consent/outbound/OutboundPolicy';
import { getOutboundPolicy } from '../../consent/outbound/OutboundPolicy';
import { OutboundGuard } from '../../consent/outbound/OutboundGuard';
import { ClientCredentialsSession } from '../client/ClientCredentialsSession';
import { loadOrCreateBridgeIdentity } from './BridgeIdentity';

/** Every target the FMP can bridge. */
export const BRIDGE_ADAPTERS: readonly TargetAdapter[] = [ shopifyAdapter, ofnAdapter, farmosAdapter ];

/** How often connections get their upkeep (channels renewed, expiring grants announced). */
const UPKEEP_MS = 3600_000;
/** How often targets without webhooks (farmOS) are asked what changed, by default. */
export const DEFAULT_POLL_INTERVAL_MS = 300_000;

/** Where and how the bridge workers run. */
export interface BridgeWorkerOptions {
  /** The FMP's public base URL. */
  readonly serverUrl: string;
  /** The bridges' own state: `<data>/bridges` (identities, connections with secrets, the outbox). */
  readonly folder: string;
  /** Where the workers' HTTP side listens (the FMP relays `/.fmp/bridges/` to it); 0 for any free port. */
  readonly port?: number;
  readonly host?: string;
  readonly logLevel?: string;
  /** Whether targets may be at private addresses (the server's `--outbound-private`; by default only on a loopback FMP). */
  readonly outboundPrivate?: OutboundPrivateSetting;
  /** Target hosts that may be private anyway (the server's `--outbound-allow-hosts`). */
  readonly outboundAllowHosts?: readonly string[];
  /** How many jobs run at once. */
  readonly parallel?: number;
  /** How often targets without webhooks are polled (ms; the server's `--bridge-poll-interval`, default 5 minutes). */
  readonly pollIntervalMs?: number;
  /**
   * A Redis (`redis://…`) shared by every bridge runtime of the FMP (the server's `--redis`): the outbox, the link
   * tables, the timed work and the locks live there, so runtimes in several processes or on several machines, on one
   * data folder, work each change once. Without it: the embedded outbox in the data folder, for one runtime.
   */
  readonly redisUrl?: string;
  /** With Redis: how long a job of a worker that stopped waits before another worker takes it (ms, default 30 s). */
  readonly leaseMs?: number;
  readonly log?: BridgeLog;
}

/** Where a runtime keeps what it shares with others: Redis, or this process and the data folder. */
interface SharedState {
  readonly mutex: Mutex;
  readonly outbox: Outbox;
  readonly schedule: BridgeSchedule;
  readonly linksOf: (fetchFn: typeof fetch) => LinkStore;
  readonly close: () => Promise<void>;
}

async function sharedState(options: BridgeWorkerOptions, log: BridgeLog): Promise<SharedState> {
  if (!options.redisUrl) {
    return { mutex: new LocalMutex(), outbox: new SqliteOutbox(options.folder), schedule: new TimerSchedule(log),
      linksOf: (fetchFn): LinkStore => new LinkCache(fetchFn), close: async(): Promise<void> => undefined };
  }
  const redis = await connectRedis(options.redisUrl);
  redis.on('error', (error: Error): void => log.warn(`Redis: ${error.message}`));
  const mutex = new RedisMutex(redis);
  return { mutex, outbox: new BullMqOutbox(redis, { leaseMs: options.leaseMs }), schedule: new BullMqSchedule(redis, log),
    linksOf: (fetchFn): LinkStore => new RedisLinkCache(redis, mutex, fetchFn),
    close: async(): Promise<void> => {
      await redis.quit();
    } };
}

/** How long the bridges wait for Redis at start before they give up with an error. */
const REDIS_CONNECT_MS = 10_000;

/** A connection to the Redis at `url`, once it answers; a precise error if it is not a Redis URL or does not answer. */
export async function connectRedis(url: string): Promise<Redis> {
  if (!/^rediss?:\/\/[^/]/u.test(url)) {
    throw new Error(`Not a Redis URL: ${url} (use redis://host:port or rediss://…)`);
  }
  // bullmq's workers block on Redis: it asks that commands wait for a lost connection rather than fail.
  const redis = new Redis(url, { maxRetriesPerRequest: null, lazyConnect: true });
  redis.on('error', (): void => undefined);
  let timer: NodeJS.Timeout | undefined;
  try {
    await Promise.race([ redis.connect(), new Promise((_resolve, reject): void => {
      timer = setTimeout((): void => reject(new Error(`Redis at ${url} did not answer within ${REDIS_CONNECT_MS / 1000} s`)),
        REDIS_CONNECT_MS);
    }) ]);
  } catch (error: unknown) {
    redis.disconnect();
    throw error;
  } finally {
    clearTimeout(timer);
  }
  return redis;
}

/** Running bridge workers. */
export interface BridgeWorkers {
  /** Where their HTTP side listens, for the FMP's relay. */
  readonly url: string;
  /** Starts the work; needs the FMP to answer (the bridges log in to it). */
  start: () => Promise<void>;
  stop: () => Promise<void>;
}

/**
 * Listens for the bridges' HTTP side at once (so the FMP can be told where), and starts the work once the FMP answers:
 * each bridge's identity loaded or created, its session, the outbox, the worker and the upkeep timer.
 */
export async function listenBridgeWorkers(options: BridgeWorkerOptions): Promise<BridgeWorkers> {
  let handler: Parameters<typeof createServer>[1] = (_request, response): void => {
    response.writeHead(503, { 'content-type': 'text/plain', 'retry-after': '5' }).end('The bridges are starting.\n');
  };
  const server: Server = createServer((request, response): void => handler!(request, response));
  await new Promise<void>((resolve): void => {
    server.listen(options.port ?? 0, options.host ?? '127.0.0.1', resolve);
  });
  const { port } = server.address() as AddressInfo;
  const log = options.log ?? consoleBridgeLog(options.logLevel);
  let stopWork = async(): Promise<void> => undefined;
  return {
    url: `http://${options.host ?? '127.0.0.1'}:${port}/`,
    start: async(): Promise<void> => {
      const shared = await sharedState(options, log);
      stopWork = shared.close;
      const targets: BridgeTarget[] = [];
      const identities: Record<string, { webId: string }> = {};
      for (const adapter of BRIDGE_ADAPTERS) {
        const identity = await loadOrCreateBridgeIdentity(options.folder, adapter.target, options.serverUrl,
          options.redisUrl ? shared.mutex : undefined);
        const session = new ClientCredentialsSession({ clientId: identity.clientId, clientSecret: identity.clientSecret,
          issuer: options.serverUrl });
        identities[adapter.target] = { webId: identity.webId };
        targets.push({ adapter, pods: new PodAccess(session.fetch), links: shared.linksOf(session.fetch),
          subscriptions: new PodSubscriptions(new URL('.notifications/WebhookChannel2023/', options.serverUrl).href, session.fetch) });
      }
      const { outbox, mutex, schedule } = shared;
      const connections = new ConnectionStore(options.folder, options.redisUrl ? mutex : undefined);
      // Targets are named by members: reached only through the FMP's outbound guard.
      const targetFetch = new OutboundGuard(getOutboundPolicy(options.serverUrl, options.outboundPrivate,
        options.outboundAllowHosts)).fetch;
      const subscriptions = new Map(targets.map((target): [string, PodSubscriptions] => [ target.adapter.target, target.subscriptions ]));
      const channels = new ChannelKeeper(connections, (target): PodSubscriptions => subscriptions.get(target)!, options.serverUrl, log,
        Date.now, mutex);
      const worker = new BridgeWorker(targets, outbox, connections, channels, targetFetch, log, options.parallel);
      const service = new BridgeService(worker, outbox, connections, channels, targetFetch, log, Date.now, mutex);
      const app = createBridgeApp(service, new MemberAuthenticator(options.serverUrl), identities);
      app.on('error', (error: Error): void => log.warn(`Bridge request failed: ${error.message}`));
      handler = app.callback();
      worker.start();
      stopWork = async(): Promise<void> => {
        await schedule.close();
        await worker.stop();
        await outbox.close();
        await shared.close();
      };
      // Webhooks and pod notifications reach whichever runtime the FMP relays to; each records into the shared
      // outbox and is worked once. Timed work (catching up at start, upkeep, polls) is done once for all runtimes.
      await schedule.start({
        atStart: [{ name: 'catch-up', run: async(): Promise<void> => service.maintain(true) }],
        every: [
          { name: 'upkeep', everyMs: UPKEEP_MS, run: async(): Promise<void> => service.maintain(false) },
          { name: 'poll', everyMs: options.pollIntervalMs ?? DEFAULT_POLL_INTERVAL_MS, run: async(): Promise<void> => service.poll() },
        ],
      });
    },
    stop: async(): Promise<void> => {
      await stopWork();
      await new Promise<void>((resolve): void => {
        server.close((): void => resolve());
        server.closeAllConnections();
      });
    },
  };
}
