import { join } from 'node:path';
import type { Command } from 'commander';
import type { Peer } from '../../../consent';
import { addPeer, listPeers, removePeer } from '../../../consent';
import { FmpClientError } from '../../client/FmpClientError';
import { fetchServer } from '../../client/serverFetch';
import { getStateFolder } from '../../server/dataFolders';
import { formatTable, printResult } from '../output';

interface AddOptions { data: string; from?: string; issuer?: string; inbox?: string; jwks?: string }

function getPeersFile(dataFolder: string): string {
  return join(getStateFolder(dataFolder), 'peers.json');
}

/** Reads a peer's identity from its `/.well-known/fmp`. */
async function describePeerAt(url: string): Promise<{ issuer: string; inbox: string; jwks: string }> {
  const response = await fetchServer(new URL('.well-known/fmp', url.endsWith('/') ? url : `${url}/`).href);
  if (!response.ok) {
    throw new FmpClientError(`${url} does not describe itself as an FMP (/.well-known/fmp answered ${response.status})`);
  }
  return await response.json() as { issuer: string; inbox: string; jwks: string };
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
    .action(async(name: string, options: AddOptions, command: Command): Promise<void> => {
      const described = options.from ? await describePeerAt(options.from) : undefined;
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
