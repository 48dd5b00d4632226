import { Command, CommanderError } from 'commander';
import { FmpClientError } from '../client/FmpClientError';
import { addBridgeCommands } from './commands/bridge';
import { addDemoCommands } from './commands/demo';
import { addGrantCommands } from './commands/grant';
import { addLoginCommands } from './commands/login';
import { addMemberCommands } from './commands/member';
import { addMoveCommands } from './commands/move';
import { addPeerCommands } from './commands/peer';
import { addPortabilityCommands } from './commands/portability';
import { addRequestCommands } from './commands/requests';
import { addSnapshotCommands } from './commands/snapshot';

const program = new Command('fmp')
  .description('Manage an FMP pod server: members, logins, grants, exports, snapshots and moves.')
  .option('--server <url>', 'the FMP\'s base URL (FMP_SERVER)', process.env.FMP_SERVER || 'http://localhost:3000/')
  .option('--json', 'print machine-readable JSON', false)
  .showHelpAfterError('(run fmp --help for usage)')
  .exitOverride();

addMemberCommands(program);
addLoginCommands(program);
addGrantCommands(program);
addRequestCommands(program);
addPeerCommands(program);
addDemoCommands(program);
addPortabilityCommands(program);
addSnapshotCommands(program);
addMoveCommands(program);
addBridgeCommands(program);

/** One readable line for a person; stack traces only with FMP_DEBUG=1. */
function describeError(error: unknown): string {
  if (FmpClientError.prototype.isPrototypeOf(error as object)) {
    return (error as Error).message;
  }
  const message = (error as Error).message ?? String(error);
  return process.env.FMP_DEBUG ? (error as Error).stack ?? message : message.split('\n')[0];
}

program.parseAsync(process.argv).catch((error: unknown): void => {
  if (error instanceof CommanderError) {
    // Commander has already printed its message (usage errors, --help, --version).
    process.exitCode = error.exitCode === 0 ? 0 : 2;
    return;
  }
  process.stderr.write(`fmp: ${describeError(error)}\n`);
  process.exitCode = 1;
});
