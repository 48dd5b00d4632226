import { createServer } from 'node:net';
import { Command, InvalidArgumentError } from 'commander';
import { parseDuration } from '../../consent';
import { startFmpServer } from './FmpServer';

function parsePort(value: string): number {
  const port = Number(value);
  if (!Number.isInteger(port) || port < 1 || port > 65535) {
    throw new InvalidArgumentError('a port is a whole number from 1 to 65535.');
  }
  return port;
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
  .option('--pod-quota <bytes>', 'most bytes one pod may take; 0 for no quota (FMP_POD_QUOTA)', parseCount,
    parseCount(process.env.FMP_POD_QUOTA ?? '1000000000'))
  .option('--log-level <level>', 'error, warn, info, verbose or debug (FMP_LOG_LEVEL)', process.env.FMP_LOG_LEVEL ?? 'info')
  .parse();

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
    snapshotInterval: string; snapshotsKept: number; snapshotQuota: number; forwardingPeriod: string; podQuota: number; }>();
  parseDuration(options.maxGrantDuration);
  parseDuration(options.forwardingPeriod);
  if (options.snapshotInterval !== '0') {
    parseDuration(options.snapshotInterval);
  }
  await assertPortFree(options.port);
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
    podQuotaBytes: options.podQuota,
  });
  process.stdout.write([
    `FMP pod server listening at ${server.baseUrl}`,
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
