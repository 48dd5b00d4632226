import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { Command } from 'commander';
import type { OutboundPolicy, Peer } from '../../../consent';
import {
  addPeer,
  findOutboundRefusal,
  getOutboundPolicy,
  listPeers,
  OutboundGuard,
  parseAllowedHosts,
  parseOutboundPrivate,
  removePeer,
} from '../../../consent';
import { getServerInfoPath } from '../../../pod-server/operator/OperatorFiles';
import { FmpClientError } from '../../client/FmpClientError';
import { fetchServer } from '../../client/serverFetch';
import { getStateFolder } from '../../server/dataFolders';
import { formatTable, printResult } from '../output';

interface AddOptions {
  data: string; from?: string; issuer?: string; inbox?: string; jwks?: string; outboundPrivate?: string; outboundAllowHosts?: string;
}

function getPeersFile(dataFolder: string): string {
  return join(getStateFolder(dataFolder), 'peers.json');
}

/**
 * The outbound policy of the FMP whose data folder this is: the options given, else its default for the URL the
 * server recorded (`allow` on loopback); `deny` when no server has started there yet.
 */
async function getFmpOutboundPolicy(dataFolder: string, options: AddOptions): Promise<OutboundPolicy> {
  let baseUrl: string | undefined;
  try {
    baseUrl = (JSON.parse(await readFile(getServerInfoPath(getStateFolder(dataFolder)), 'utf8')) as { baseUrl?: string }).baseUrl;
  } catch {
    baseUrl = undefined;
  }
  const setting = options.outboundPrivate ? parseOutboundPrivate(options.outboundPrivate) : baseUrl ? undefined : 'deny';
  return getOutboundPolicy(baseUrl ?? 'https://fmp.invalid/', setting, parseAllowedHosts(options.outboundAllowHosts));
}

/** Reads a peer's identity from its `/.well-known/fmp`, through the outbound guard (a peer on a private address needs an allowed host). */
async function describePeerAt(url: string, policy: OutboundPolicy): Promise<{ issuer: string; inbox: string; jwks: string }> {
  const guard = new OutboundGuard(policy);
  try {
    const response = await fetchServer(new URL('.well-known/fmp', url.endsWith('/') ? url : `${url}/`).href, {}, guard.fetch);
    if (!response.ok) {
      throw new FmpClientError(`${url} does not describe itself as an FMP (/.well-known/fmp answered ${response.status})`);
    }
    return await response.json() as { issuer: string; inbox: string; jwks: string };
  } catch (error: unknown) {
    const refusal = findOutboundRefusal(error);
    if (refusal) {
      throw new FmpClientError(`--from ${refusal.message}; if the peer is on your private network, add its host with --outbound-allow-hosts`);
    }
    throw error;
  } finally {
    await guard.close();
  }
}

/** `fmp peer add|list|remove`: the operator's list of FMPs this one federates with, in the data folder. */
export function addPeerCommands(program: Command): void {
  const peer = program.command('peer').description('manage the peer FMPs this FMP federates with (operator, on the FMP\'s machine)');
  const dataOption = (command: Command): Command =>
    command.option('--data <folder>', 'the FMP\'s data folder', process.env.FMP_DATA ?? './data');

  dataOption(peer.command('add <name>')
    .description('add a peer, from its URL (--from) or from its issuer, inbox and JWKS URLs'))
    .option('--from <url>', 'the peer FMP\'s base URL; reads its /.well-known/fmp')
    .option('--issuer <url>', 'the peer\'s Solid-OIDC issuer')
    .option('--inbox <url>', 'the peer\'s inbox')
    .option('--jwks <url>', 'the peer\'s JWKS URL')
    .option('--outbound-private <deny|allow>', 'may --from reach a private address (FMP_OUTBOUND_PRIVATE); default: as the FMP ' +
      'of --data, allow when it runs on loopback', process.env.FMP_OUTBOUND_PRIVATE)
    .option('--outbound-allow-hosts <hosts>', 'comma-separated hosts that may be private anyway (FMP_OUTBOUND_ALLOW_HOSTS)',
      process.env.FMP_OUTBOUND_ALLOW_HOSTS)
    .action(async(name: string, options: AddOptions, command: Command): Promise<void> => {
      const described = options.from ? await describePeerAt(options.from, await getFmpOutboundPolicy(options.data, options)) : undefined;
      const issuer = options.issuer ?? described?.issuer;
      const inbox = options.inbox ?? described?.inbox;
      const jwksUrl = options.jwks ?? described?.jwks;
      if (!issuer || !inbox || !jwksUrl) {
        throw new FmpClientError('give --from <peer URL>, or all of --issuer, --inbox and --jwks');
      }
      const added = await addPeer(getPeersFile(options.data), { name, issuer, inbox, jwksUrl });
      printResult(added, command.optsWithGlobals<{ json: boolean }>().json, (made): string => `Added peer ${made.name} (${made.issuer}).`);
    });

  dataOption(peer.command('list').description('list the peers'))
    .action(async(options: { data: string }, command: Command): Promise<void> => {
      const peers = await listPeers(getPeersFile(options.data));
      printResult(peers, command.optsWithGlobals<{ json: boolean }>().json, (list: Peer[]): string => list.length === 0 ?
        'No peers.' :
        formatTable([ 'NAME', 'ISSUER', 'INBOX', 'JWKS' ], list.map((entry): string[] => [ entry.name, entry.issuer, entry.inbox, entry.jwksUrl ])));
    });

  dataOption(peer.command('remove <name>').description('remove a peer: grants to it stop working at once'))
    .action(async(name: string, options: { data: string }, command: Command): Promise<void> => {
      await removePeer(getPeersFile(options.data), name);
      printResult({ removed: name }, command.optsWithGlobals<{ json: boolean }>().json, (): string => `Removed peer ${name}.`);
    });
}
