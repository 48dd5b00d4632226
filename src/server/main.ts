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

const program = new Command('fmp-server')
  .description('Start the FMP pod server (Community Solid Server with the FMP extensions).')
  .option('--port <port>', 'port to listen on (FMP_PORT)', parsePort, parsePort(process.env.FMP_PORT ?? '3000'))
  .option('--data <folder>', 'folder for pods and server state (FMP_DATA)', process.env.FMP_DATA ?? './data')
  .option('--base-url <url>', 'public base URL (FMP_BASE_URL), default http://localhost:<port>/', process.env.FMP_BASE_URL)
  .option('--max-grant-duration <duration>', 'longest consent grant, e.g. 90d (FMP_MAX_GRANT_DURATION)',
    process.env.FMP_MAX_GRANT_DURATION ?? '90d')
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
  const options = program.opts<{ port: number; data: string; baseUrl?: string; logLevel: string; maxGrantDuration: string }>();
  parseDuration(options.maxGrantDuration);
  await assertPortFree(options.port);
  const server = await startFmpServer({
    port: options.port,
    dataFolder: options.data,
    baseUrl: options.baseUrl,
    logLevel: options.logLevel,
    maxGrantDuration: options.maxGrantDuration,
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
