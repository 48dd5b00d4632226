import cluster from 'node:cluster';
import { mkdir } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import type { App } from '@solid/community-server';
import { AppRunner } from '@solid/community-server';
import type { OutboundPrivateSetting } from '../../consent';
import { parseDuration } from '../../consent';
import { isRedisUrl } from '../../pod-server/cluster/RedisConnection';
import { DEFAULT_DISK_LOW } from '../../pod-server/operator/diskThreshold';
import { listenBridgeWorkers } from '../bridges/startBridgeWorkers';
import { listenWebApp } from '../webapp/listenWebApp';
import { readOrCreateSecret } from '../webapp/secretFile';
import { loadCompiledConfig } from './compiledConfig';
import { getBridgesFolder, getPodsFolder, getStateFolder } from './dataFolders';

/** Where the project's root is, from `dist/src/server/` or `src/server/`. */
export const PROJECT_ROOT = resolve(__dirname, __dirname.includes(`${join('dist', 'src')}`) ? '../../..' : '../..');

/** How the server limits floods of sign-ups, logins, consent writes and inbox posts (README, "Rate limits"). */
export interface RateLimitOptions {
  /** `off` turns every rate limit off (for benchmarks); `on` by default. */
  rateLimits?: 'on' | 'off';
  /** Account creations per client address, `<count>/<duration>` (default `30/1h`). */
  rateLimitSignups?: string;
  /** Password login attempts per client address (default `100/15m`). */
  rateLimitLogins?: string;
  /** Failed password logins per e-mail address before further attempts wait (default `10/15m`). */
  rateLimitLoginFailures?: string;
  /** The first wait after too many failed logins, doubled with each further failure (default `1m`). */
  rateLimitLoginDelay?: string;
  /** The longest wait between password attempts for one e-mail address (default `1h`). */
  rateLimitLoginMaxDelay?: string;
  /** Consent API writes per client address and per account (default `600/1h`). */
  rateLimitConsent?: string;
  /** Inbox posts per client address and per account (default `600/1h`). */
  rateLimitInbox?: string;
  /** How many proxies in front of the FMP append to `X-Forwarded-For` (default 0: the header is ignored). */
  trustProxy?: number;
}

export interface FmpServerOptions extends RateLimitOptions {
  /** Port to listen on. */
  port: number;
  /** Folder holding pods and server state. */
  dataFolder: string;
  /** Public base URL; defaults to `http://localhost:<port>/`. */
  baseUrl?: string;
  /** CSS log level: error, warn, info, verbose, debug. */
  logLevel?: string;
  /** Longest consent grant, e.g. `90d`. */
  maxGrantDuration?: string;
  /** How often the server snapshots every pod, e.g. `1d` (default); `0` turns scheduled snapshots off. */
  snapshotInterval?: string;
  /** How many scheduled snapshots are kept per member (default 7). */
  snapshotsKept?: number;
  /** Most bytes of snapshots a member may store (default 1 GB). */
  snapshotQuotaBytes?: number;
  /** How long a moved pod's old URLs keep answering 308 to the new ones, e.g. `180d` (default). */
  forwardingPeriod?: string;
  /** Runs the bridge workers in this process (`npm start` does, unless `--no-bridges`). */
  bridges?: boolean;
  /** Where bridge workers running elsewhere (`fmp bridge worker`) listen, relayed from `/.fmp/bridges/`. */
  bridgeWorkerUrl?: string;
  /** How often the bridges poll targets without webhooks (farmOS), e.g. `5m`. */
  bridgePollInterval?: string;
  /** Below how much free space `/.fmp/health` reports the data disk as low: bytes, or a share such as `5%` (default). */
  diskLow?: string;
  /**
   * Whether requests made on someone else's say-so (webhooks, …) may reach private addresses. Default: `deny`, but
   * `allow` when the base URL is on loopback. `allow` turns the outbound guard's refusals off (e.g. in a benchmark).
   */
  outboundPrivate?: OutboundPrivateSetting;
  /** Hosts that may be private anyway: peers and bridges on a private network. */
  outboundAllowHosts?: string[];
  /** Most bytes one pod may take (default 1 GB); 0 for no quota. */
  podQuotaBytes?: number;
  /** Serves the member web app at `/.fmp/` (default true). */
  webApp?: boolean;
  /**
   * Redis shared by every process of this FMP (`redis://host:port`): with it, several processes on one data folder
   * act as one FMP (README, "Running more than one process").
   */
  redisUrl?: string;
  /** CSS worker processes (CSS's cluster mode; default 1); more than one needs `redisUrl`. */
  workers?: number;
}

/** The rate limits a server has unless told otherwise. */
export const RATE_LIMIT_DEFAULTS: Required<RateLimitOptions> = {
  rateLimits: 'on',
  rateLimitSignups: '30/1h',
  rateLimitLogins: '100/15m',
  rateLimitLoginFailures: '10/15m',
  rateLimitLoginDelay: '1m',
  rateLimitLoginMaxDelay: '1h',
  rateLimitConsent: '600/1h',
  rateLimitInbox: '600/1h',
  trustProxy: 0,
};

/** A running FMP pod server. */
export interface FmpServer {
  baseUrl: string;
  dataFolder: string;
  /** Where members sign in to the web app, when it runs. */
  webAppUrl?: string;
  /** Whether this process only forks CSS's workers (cluster mode's first process). */
  forksWorkers: boolean;
  stop: () => Promise<void>;
}

/** The version in package.json. */
export function getFmpVersion(): string {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  return (require(join(PROJECT_ROOT, 'package.json')) as { version: string }).version;
}

/** The `urn:fmp:variable:rateLimit…` bindings: each option, or its default. */
function rateLimitVariables(options: FmpServerOptions): Record<string, string | number> {
  const variables: Record<string, string | number> = {};
  for (const [ name, fallback ] of Object.entries(RATE_LIMIT_DEFAULTS)) {
    variables[`urn:fmp:variable:${name}`] = options[name as keyof RateLimitOptions] ?? fallback;
  }
  return variables;
}

/** Why the options cannot run, if they cannot. */
export function findClusterProblem(options: Pick<FmpServerOptions, 'redisUrl' | 'workers'>): string | undefined {
  const workers = options.workers ?? 1;
  if (!Number.isSafeInteger(workers) || workers < 1) {
    return '--workers must be a whole number, 1 or more';
  }
  if (workers > 1 && !options.redisUrl) {
    return `--workers ${workers} needs --redis: processes that share no Redis would each keep their own grants, locks ` +
      'and schedules (README, "Running more than one process")';
  }
  if (options.redisUrl !== undefined && !isRedisUrl(options.redisUrl)) {
    return `--redis must be a redis:// or rediss:// URL, e.g. redis://127.0.0.1:6379, not "${options.redisUrl}"`;
  }
}

/** The configuration files of a server with these options. */
function configFiles(podQuotaBytes: number, redisUrl: string | undefined): string[] {
  const config = join(PROJECT_ROOT, 'pod-server', 'config');
  return [ join(config, 'fmp.json'), join(config, 'quota', podQuotaBytes > 0 ? 'pod-quota.json' : 'none.json'),
    join(config, 'cluster', redisUrl ? 'redis.json' : 'single.json') ];
}

/**
 * Builds the FMP's CSS from `pod-server/config/fmp.json` (with `config/quota/` and `config/cluster/`) and starts it.
 * With `workers` > 1 this is CSS's cluster mode: the process that calls it forks the workers, each of which runs the
 * same start-up (with its own web app and bridge workers); the first process serves no requests itself.
 */
export async function startFmpServer(options: FmpServerOptions): Promise<FmpServer> {
  const problem = findClusterProblem(options);
  if (problem) {
    throw new Error(problem);
  }
  const workers = options.workers ?? 1;
  // In cluster mode the first process only forks workers (CSS's ClusterManager): it needs no web app or bridges.
  const servesRequests = workers === 1 || cluster.isWorker;
  const baseUrl = options.baseUrl ?? `http://localhost:${options.port}/`;
  const dataFolder = resolve(options.dataFolder);
  const podQuotaBytes = options.podQuotaBytes ?? 1_000_000_000;
  await mkdir(getPodsFolder(dataFolder), { recursive: true });
  await mkdir(getStateFolder(dataFolder), { recursive: true, mode: 0o700 });
  const bridges = options.bridges && servesRequests ?
    await listenBridgeWorkers({ serverUrl: baseUrl, folder: getBridgesFolder(dataFolder), logLevel: options.logLevel,
      outboundPrivate: options.outboundPrivate, outboundAllowHosts: options.outboundAllowHosts,
      pollIntervalMs: options.bridgePollInterval === undefined ? undefined : parseDuration(options.bridgePollInterval),
      redisUrl: options.redisUrl }) :
    undefined;
  const webAppFolder = join(getStateFolder(dataFolder), 'webapp');
  const relayKey = options.webApp === false || !servesRequests ? '' : await readOrCreateSecret(join(webAppFolder, 'relay-key'));
  const webApp = options.webApp === false || !servesRequests ? undefined : await listenWebApp({ baseUrl,
    stateFolder: webAppFolder, maxGrantDuration: options.maxGrantDuration, relayKey });
  const shorthand = {
    port: options.port,
    baseUrl,
    rootFilePath: getPodsFolder(dataFolder),
    loggingLevel: options.logLevel ?? 'warn',
    workers,
  };
  const variableBindings = {
    'urn:fmp:variable:podTemplateFolder': join(PROJECT_ROOT, 'pod-server', 'templates', 'pod'),
    'urn:fmp:variable:version': getFmpVersion(),
    'urn:fmp:variable:stateFolder': getStateFolder(dataFolder),
    'urn:fmp:variable:dfcContextFile': join(PROJECT_ROOT, 'shapes', 'dfc', 'context_1.16.0.json'),
    'urn:fmp:variable:maxGrantDuration': options.maxGrantDuration ?? '90d',
    'urn:fmp:variable:snapshotInterval': options.snapshotInterval ?? '1d',
    'urn:fmp:variable:snapshotsKept': options.snapshotsKept ?? 7,
    'urn:fmp:variable:snapshotQuotaBytes': options.snapshotQuotaBytes ?? 1_000_000_000,
    'urn:fmp:variable:forwardingPeriod': options.forwardingPeriod ?? '180d',
    'urn:fmp:variable:diskLow': options.diskLow ?? DEFAULT_DISK_LOW,
    'urn:fmp:variable:bridgeWorkerUrl': bridges?.url ?? options.bridgeWorkerUrl ?? '',
    'urn:fmp:variable:outboundPrivate': options.outboundPrivate ?? '',
    'urn:fmp:variable:outboundAllowHosts': (options.outboundAllowHosts ?? []).join(','),
    'urn:fmp:variable:podQuotaBytes': podQuotaBytes,
    'urn:fmp:variable:webAppUrl': webApp?.url ?? '',
    'urn:fmp:variable:webAppRelayKey': relayKey,
    'urn:fmp:variable:rootPageFile': join(PROJECT_ROOT, 'pod-server', 'templates', 'root', 'index.html'),
    ...rateLimitVariables(options),
    ...options.redisUrl ? { 'urn:fmp:variable:redisUrl': options.redisUrl } : {},
  };
  // FMP_COMPILED_CONFIG=0 reads the configuration as CSS does (to compare, or to rule the compiled one out).
  // The compiled configuration has the pod quota (the default); without one, CSS's file backend stays as it is.
  const compiled = process.env.FMP_COMPILED_CONFIG === '0' || podQuotaBytes === 0 ?
    undefined :
    loadCompiledConfig(PROJECT_ROOT, options.redisUrl ? 'redis' : 'single');
  // As AppRunner.create does, without reading the configuration again: the build compiled it.
  const app: App = compiled ?
    compiled.createApp({ ...await compiled.cliResolver.shorthandResolver.handleSafe(shorthand), ...variableBindings }) :
    await new AppRunner().create({
      config: configFiles(podQuotaBytes, options.redisUrl),
      loaderProperties: {
        mainModulePath: PROJECT_ROOT,
        // Components.js warns about every npm package it cannot read as a module; only errors matter here.
        logLevel: 'error',
        typeChecking: false,
      },
      shorthand,
      variableBindings,
    });
  await app.start();
  await bridges?.start();
  return {
    baseUrl,
    dataFolder,
    ...options.webApp === false ? {} : { webAppUrl: new URL('.fmp/', baseUrl).href },
    forksWorkers: !servesRequests,
    stop: async(): Promise<void> => {
      await bridges?.stop();
      await webApp?.stop();
      await app.stop();
    },
  };
}
