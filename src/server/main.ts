import cluster from 'node:cluster';
import { createServer } from 'node:net';
import { Command, InvalidArgumentError } from 'commander';
import { parseAllowedHosts, parseDuration, parseOutboundPrivate } from '../../consent';
import { DEFAULT_DISK_LOW, parseDiskThreshold } from '../../pod-server/operator/diskThreshold';
import { RateLimitSettings } from '../../pod-server/ratelimit/RateLimitSettings';
import type { RateLimitOptions } from './FmpServer';
import { findClusterProblem, RATE_LIMIT_DEFAULTS, startFmpServer } from './FmpServer';

function parsePort(value: string): number {
  const port = Number(value);
  if (!Number.isInteger(port) || port < 1 || port > 65535) {
    throw new InvalidArgumentError('a port is a whole number from 1 to 65535.');
  }
  return port;
}

function parseDiskLow(value: string): string {
  try {
    parseDiskThreshold(value);
  } catch (error: unknown) {
    throw new InvalidArgumentError((error as Error).message);
  }
  return value;
}

function parseCount(value: string): number {
  const count = Number(value);
  if (!Number.isSafeInteger(count) || count < 0) {
    throw new InvalidArgumentError('expected a whole number, 0 or more.');
  }
  return count;
}

const program = new Command('fmp-server')
  .description('Start the FMP pod server (Community Solid Server with the FMP extensions).')
  .option('--port <port>', 'port to listen on (FMP_PORT)', parsePort, parsePort(process.env.FMP_PORT ?? '3000'))
  .option('--data <folder>', 'folder for pods and server state (FMP_DATA)', process.env.FMP_DATA ?? './data')
  .option('--base-url <url>', 'public base URL (FMP_BASE_URL), default http://localhost:<port>/', process.env.FMP_BASE_URL)
  .option('--max-grant-duration <duration>', 'longest consent grant, e.g. 90d (FMP_MAX_GRANT_DURATION)',
    process.env.FMP_MAX_GRANT_DURATION ?? '90d')
  .option('--snapshot-interval <duration>', 'how often every pod is snapshotted, e.g. 1d; 0 for never (FMP_SNAPSHOT_INTERVAL)',
    process.env.FMP_SNAPSHOT_INTERVAL ?? '1d')
  .option('--snapshots-kept <count>', 'scheduled snapshots kept per member (FMP_SNAPSHOTS_KEPT)', parseCount,
    parseCount(process.env.FMP_SNAPSHOTS_KEPT ?? '7'))
  .option('--snapshot-quota <bytes>', 'most bytes of snapshots per member (FMP_SNAPSHOT_QUOTA_BYTES)', parseCount,
    parseCount(process.env.FMP_SNAPSHOT_QUOTA_BYTES ?? '1000000000'))
  .option('--forwarding-period <duration>', 'how long a moved pod\'s old URLs redirect, e.g. 180d (FMP_FORWARDING_PERIOD)',
    process.env.FMP_FORWARDING_PERIOD ?? '180d')
  .option('--no-bridges', 'do not run the bridge workers in this process (FMP_BRIDGES=off)')
  .option('--bridge-worker-url <url>', 'where bridge workers started with `fmp bridge worker` listen (FMP_BRIDGE_WORKER_URL)',
    process.env.FMP_BRIDGE_WORKER_URL)
  .option('--bridge-poll-interval <duration>', 'how often bridges to targets without webhooks (farmOS) ask for changes, e.g. 5m ' +
    '(FMP_BRIDGE_POLL_INTERVAL)', process.env.FMP_BRIDGE_POLL_INTERVAL ?? '5m')
  .option('--disk-low <bytes or %>', '/.fmp/health reports the data disk as low below this much free space, e.g. 2000000000 or 5% (FMP_DISK_LOW)',
    parseDiskLow, process.env.FMP_DISK_LOW ?? DEFAULT_DISK_LOW)
  .option('--rate-limits <on|off>', 'on, or off to turn every rate limit off, e.g. for benchmarks (FMP_RATE_LIMITS)',
    process.env.FMP_RATE_LIMITS ?? RATE_LIMIT_DEFAULTS.rateLimits)
  .option('--rate-limit-signups <count/duration>', 'account creations per client address (FMP_RATE_LIMIT_SIGNUPS)',
    process.env.FMP_RATE_LIMIT_SIGNUPS ?? RATE_LIMIT_DEFAULTS.rateLimitSignups)
  .option('--rate-limit-logins <count/duration>', 'password login attempts per client address (FMP_RATE_LIMIT_LOGINS)',
    process.env.FMP_RATE_LIMIT_LOGINS ?? RATE_LIMIT_DEFAULTS.rateLimitLogins)
  .option('--rate-limit-login-failures <count/duration>', 'failed logins per e-mail address before further attempts wait ' +
    '(FMP_RATE_LIMIT_LOGIN_FAILURES)', process.env.FMP_RATE_LIMIT_LOGIN_FAILURES ?? RATE_LIMIT_DEFAULTS.rateLimitLoginFailures)
  .option('--rate-limit-login-delay <duration>', 'first wait after too many failed logins, doubled with each further ' +
    'failure (FMP_RATE_LIMIT_LOGIN_DELAY)', process.env.FMP_RATE_LIMIT_LOGIN_DELAY ?? RATE_LIMIT_DEFAULTS.rateLimitLoginDelay)
  .option('--rate-limit-login-max-delay <duration>', 'longest wait between password attempts for one e-mail address ' +
    '(FMP_RATE_LIMIT_LOGIN_MAX_DELAY)', process.env.FMP_RATE_LIMIT_LOGIN_MAX_DELAY ?? RATE_LIMIT_DEFAULTS.rateLimitLoginMaxDelay)
  .option('--rate-limit-consent <count/duration>', 'consent API writes per client address and per account (FMP_RATE_LIMIT_CONSENT)',
    process.env.FMP_RATE_LIMIT_CONSENT ?? RATE_LIMIT_DEFAULTS.rateLimitConsent)
  .option('--rate-limit-inbox <count/duration>', 'inbox posts per client address and per account (FMP_RATE_LIMIT_INBOX)',
    process.env.FMP_RATE_LIMIT_INBOX ?? RATE_LIMIT_DEFAULTS.rateLimitInbox)
  .option('--trust-proxy <count>', 'proxies in front of the FMP whose X-Forwarded-For entries name the client; 0 ignores ' +
    'the header (FMP_TRUST_PROXY)', parseCount, parseCount(process.env.FMP_TRUST_PROXY ?? String(RATE_LIMIT_DEFAULTS.trustProxy)))
  .option('--outbound-private <deny|allow>', 'may requests made on someone else\'s say-so (webhooks, peers, profiles) reach ' +
    'private addresses; default deny, allow when the base URL is on loopback (FMP_OUTBOUND_PRIVATE)', process.env.FMP_OUTBOUND_PRIVATE)
  .option('--outbound-allow-hosts <hosts>', 'comma-separated hosts that may be private anyway: peers and bridges on a private ' +
    'network (FMP_OUTBOUND_ALLOW_HOSTS)', process.env.FMP_OUTBOUND_ALLOW_HOSTS)
  .option('--pod-quota <bytes>', 'most bytes one pod may take; 0 for no quota (FMP_POD_QUOTA)', parseCount,
    parseCount(process.env.FMP_POD_QUOTA ?? '1000000000'))
  .option('--redis <url>', 'Redis shared by every process of this FMP, e.g. redis://127.0.0.1:6379; needed for more than one ' +
    'process (FMP_REDIS_URL)', process.env.FMP_REDIS_URL)
  .option('--workers <count>', 'worker processes serving requests (CSS\'s cluster mode); more than 1 needs --redis (FMP_WORKERS)',
    parseCount, parseCount(process.env.FMP_WORKERS ?? '1'))
  .option('--log-level <level>', 'error, warn, info, verbose or debug (FMP_LOG_LEVEL)', process.env.FMP_LOG_LEVEL ?? 'info')
  .parse();

/** Where Redis is, without a password the URL may hold. */
function redisLocation(url: string): string {
  try {
    const parsed = new URL(url);
    return `${parsed.host}${parsed.pathname === '/' ? '' : parsed.pathname}`;
  } catch {
    return 'the given URL';
  }
}

/** Fails with a readable line if something already listens on the port (CSS would crash on it later). */
async function assertPortFree(port: number): Promise<void> {
  await new Promise<void>((resolve, reject): void => {
    const probe = createServer();
    probe.once('error', (error: NodeJS.ErrnoException): void => {
      reject(new Error(error.code === 'EADDRINUSE' ?
        `port ${port} is already in use; choose another with --port` :
        `cannot listen on port ${port}: ${error.message}`));
    });
    probe.listen(port, (): void => {
      probe.close((): void => resolve());
    });
  });
}

async function main(): Promise<void> {
  const options = program.opts<{ port: number; data: string; baseUrl?: string; logLevel: string; maxGrantDuration: string;
    snapshotInterval: string; snapshotsKept: number; snapshotQuota: number; forwardingPeriod: string; bridges: boolean;
    bridgeWorkerUrl?: string; bridgePollInterval: string; diskLow: string; outboundPrivate?: string; outboundAllowHosts?: string;
    podQuota: number; redis?: string; workers: number; } &
    Required<RateLimitOptions>>();
  parseDiskThreshold(options.diskLow);
  parseDuration(options.maxGrantDuration);
  parseDuration(options.forwardingPeriod);
  parseDuration(options.bridgePollInterval);
  if (options.snapshotInterval !== '0') {
    parseDuration(options.snapshotInterval);
  }
  // A wrong rate limit stops the server here, with a message naming the option.
  new RateLimitSettings(options.rateLimits, options.rateLimitSignups, options.rateLimitLogins, options.rateLimitLoginFailures,
    options.rateLimitLoginDelay, options.rateLimitLoginMaxDelay, options.rateLimitConsent, options.rateLimitInbox,
    options.trustProxy);
  const problem = findClusterProblem({ redisUrl: options.redis, workers: options.workers });
  if (problem) {
    throw new Error(problem);
  }
  // A worker of CSS's cluster mode listens on the port its first process holds.
  if (!cluster.isWorker) {
    await assertPortFree(options.port);
  }
  const server = await startFmpServer({
    port: options.port,
    dataFolder: options.data,
    baseUrl: options.baseUrl,
    logLevel: options.logLevel,
    maxGrantDuration: options.maxGrantDuration,
    snapshotInterval: options.snapshotInterval,
    snapshotsKept: options.snapshotsKept,
    snapshotQuotaBytes: options.snapshotQuota,
    forwardingPeriod: options.forwardingPeriod,
    bridges: options.bridges && process.env.FMP_BRIDGES !== 'off' && !options.bridgeWorkerUrl,
    bridgeWorkerUrl: options.bridgeWorkerUrl,
    bridgePollInterval: options.bridgePollInterval,
    diskLow: options.diskLow,
    rateLimits: options.rateLimits,
    rateLimitSignups: options.rateLimitSignups,
    rateLimitLogins: options.rateLimitLogins,
    rateLimitLoginFailures: options.rateLimitLoginFailures,
    rateLimitLoginDelay: options.rateLimitLoginDelay,
    rateLimitLoginMaxDelay: options.rateLimitLoginMaxDelay,
    rateLimitConsent: options.rateLimitConsent,
    rateLimitInbox: options.rateLimitInbox,
    trustProxy: options.trustProxy,
    outboundPrivate: options.outboundPrivate ? parseOutboundPrivate(options.outboundPrivate) : undefined,
    outboundAllowHosts: parseAllowedHosts(options.outboundAllowHosts),
    podQuotaBytes: options.podQuota,
    redisUrl: options.redis,
    workers: options.workers,
  });
  if (cluster.isWorker) {
    // The first process told the person what runs where.
    return;
  }
  process.stdout.write([
    `FMP pod server listening at ${server.baseUrl}${options.workers > 1 ? ` with ${options.workers} worker processes` : ''}` +
      `${options.redis ? `, coordinated through Redis at ${redisLocation(options.redis)}` : ''}`,
    ...server.webAppUrl ? [ `Members sign in and manage their data at ${server.webAppUrl}` ] : [],
    `Data folder: ${server.dataFolder}`,
    `Add a member: npx fmp member create <name> --email <e-mail> --password <password> --server ${server.baseUrl}`,
    'Stop with Ctrl-C.',
    '',
  ].join('\n'));
  let stopping = false;
  const stop = (): void => {
    if (stopping) {
      return;
    }
    stopping = true;
    process.stdout.write('Stopping the FMP pod server…\n');
    server.stop().then((): never => process.exit(0), (error: Error): never => {
      process.stderr.write(`fmp-server: could not stop cleanly: ${error.message}\n`);
      process.exit(1);
    });
  };
  process.on('SIGINT', stop);
  process.on('SIGTERM', stop);
}

main().catch((error: Error): void => {
  const details = process.env.FMP_DEBUG ? `\n${error.stack}\n${String((error as { cause?: unknown }).cause)}` : '';
  process.stderr.write(`fmp-server: ${error.message.split('\n')[0]}${details}\n`);
  process.exit(1);
});
