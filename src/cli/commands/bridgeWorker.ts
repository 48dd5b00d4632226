import { resolve } from 'node:path';
import type { Command } from 'commander';
import { Option } from 'commander';
import { parseDuration } from '../../../consent/model/parseDuration';
import { parseAllowedHosts, parseOutboundPrivate } from '../../../consent/outbound/OutboundPolicy';
import { listenBridgeWorkers } from '../../bridges/startBridgeWorkers';
import { getBridgesFolder } from '../../server/dataFolders';
import { normaliseServer } from '../options';
import { printProgress } from '../output';

/** `fmp bridge worker`: runs the bridge workers alone, e.g. on another machine than the pod server. */
export function addBridgeWorkerCommand(bridge: Command): void {
  bridge.command('worker')
    .description('run the bridge workers alone; start the FMP with --no-bridges --bridge-worker-url <this worker\'s URL>')
    .addOption(new Option('--data <folder>', 'folder for the bridges\' state (<folder>/bridges)').env('FMP_DATA').default('./data'))
    .addOption(new Option('--port <port>', 'port the workers\' HTTP side listens on').env('FMP_BRIDGE_PORT').default('3100'))
    .addOption(new Option('--host <host>', 'address to listen on').default('127.0.0.1'))
    .addOption(new Option('--log-level <level>', 'error, warn or info').default('info'))
    .addOption(new Option('--poll-interval <duration>', 'how often targets without webhooks (farmOS) are asked for changes')
      .env('FMP_BRIDGE_POLL_INTERVAL').default('5m'))
    .addOption(new Option('--redis <url>', 'a Redis shared with the FMP and other bridge workers on the same data folder: ' +
      'each change is worked once').env('FMP_REDIS_URL'))
    .addOption(new Option('--lease <duration>', 'with --redis: how long a job of a worker that stopped waits before another takes it')
      .env('FMP_BRIDGE_LEASE').default('30s'))
    .action(async(options: { data: string; port: string; host: string; logLevel: string; pollInterval: string; redis?: string;
      lease: string; }, command: Command): Promise<void> => {
      const server = normaliseServer(command.optsWithGlobals<{ server: string }>().server);
      const workers = await listenBridgeWorkers({ serverUrl: server, folder: getBridgesFolder(resolve(options.data)),
        port: Number(options.port), host: options.host, logLevel: options.logLevel,
        pollIntervalMs: parseDuration(options.pollInterval), redisUrl: options.redis, leaseMs: parseDuration(options.lease),
        // As the server's options: targets at private addresses only where the operator allows them.
        outboundPrivate: process.env.FMP_OUTBOUND_PRIVATE ? parseOutboundPrivate(process.env.FMP_OUTBOUND_PRIVATE) : undefined,
        outboundAllowHosts: parseAllowedHosts(process.env.FMP_OUTBOUND_ALLOW_HOSTS) });
      await workers.start();
      printProgress(`bridge workers for ${server} listening at ${workers.url}`);
      await new Promise<void>((done): void => {
        const stop = (): void => {
          workers.stop().then(done, done);
        };
        process.once('SIGINT', stop);
        process.once('SIGTERM', stop);
      });
    });
}
