import { createServer } from 'node:http';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { BridgeLog } from '../../bridges/runtime/BridgeLog';
import { consoleBridgeLog } from '../../bridges/runtime/BridgeLog';
import { BridgeService } from '../../bridges/runtime/BridgeService';
import type { BridgeTarget } from '../../bridges/runtime/BridgeTarget';
import { BridgeWorker } from '../../bridges/runtime/BridgeWorker';
import { ChannelKeeper } from '../../bridges/runtime/ChannelKeeper';
import { ConnectionStore } from '../../bridges/runtime/ConnectionStore';
import { createBridgeApp } from '../../bridges/runtime/http/bridgeApp';
import { MemberAuthenticator } from '../../bridges/runtime/http/MemberAuthenticator';
import { LinkCache } from '../../bridges/runtime/LinkCache';
import { PodAccess } from '../../bridges/runtime/PodAccess';
import { PodSubscriptions } from '../../bridges/runtime/PodSubscriptions';
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
  readonly log?: BridgeLog;
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
      const targets: BridgeTarget[] = [];
      const identities: Record<string, { webId: string }> = {};
      for (const adapter of BRIDGE_ADAPTERS) {
        const identity = await loadOrCreateBridgeIdentity(options.folder, adapter.target, options.serverUrl);
        const session = new ClientCredentialsSession({ clientId: identity.clientId, clientSecret: identity.clientSecret,
          issuer: options.serverUrl });
        identities[adapter.target] = { webId: identity.webId };
        targets.push({ adapter, pods: new PodAccess(session.fetch), links: new LinkCache(session.fetch),
          subscriptions: new PodSubscriptions(new URL('.notifications/WebhookChannel2023/', options.serverUrl).href, session.fetch) });
      }
      const outbox = new SqliteOutbox(options.folder);
      const connections = new ConnectionStore(options.folder);
      // Targets are named by members: reached only through the FMP's outbound guard.
      const targetFetch = new OutboundGuard(getOutboundPolicy(options.serverUrl, options.outboundPrivate,
        options.outboundAllowHosts)).fetch;
      const subscriptions = new Map(targets.map((target): [string, PodSubscriptions] => [ target.adapter.target, target.subscriptions ]));
      const channels = new ChannelKeeper(connections, (target): PodSubscriptions => subscriptions.get(target)!, options.serverUrl, log);
      const worker = new BridgeWorker(targets, outbox, connections, channels, targetFetch, log, options.parallel);
      const service = new BridgeService(worker, outbox, connections, channels, targetFetch, log);
      const app = createBridgeApp(service, new MemberAuthenticator(options.serverUrl), identities);
      app.on('error', (error: Error): void => log.warn(`Bridge request failed: ${error.message}`));
      handler = app.callback();
      worker.start();
      await service.maintain(true);
      const upkeep = setInterval((): void => {
        service.maintain(false).catch((error: Error): void => log.warn(`Bridge upkeep failed: ${error.message}`));
      }, UPKEEP_MS);
      upkeep.unref();
      const polling = setInterval((): void => {
        service.poll().catch((error: Error): void => log.warn(`Bridge polling failed: ${error.message}`));
      }, options.pollIntervalMs ?? DEFAULT_POLL_INTERVAL_MS);
      polling.unref();
      stopWork = async(): Promise<void> => {
        clearInterval(upkeep);
        clearInterval(polling);
        await worker.stop();
        await outbox.close();
      };
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
