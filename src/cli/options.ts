import type { Command } from 'commander';
import { Option } from 'commander';
import type { MemberAuthOptions } from './MemberLogin';

/** Options every command shares. */
export interface GlobalOptions {
  server: string;
  json: boolean;
}

/** Normalises a server URL to end in a slash, as CSS's base URLs do. */
export function normaliseServer(server: string): string {
  return server.endsWith('/') ? server : `${server}/`;
}

/** Adds `--email/--password` and `--client-id/--client-secret` (with their environment variables) to a command. */
export function addMemberAuthOptions(command: Command): Command {
  return command
    .addOption(new Option('--email <email>', 'the member\'s login e-mail').env('FMP_EMAIL'))
    .addOption(new Option('--password <password>', 'the member\'s password').env('FMP_PASSWORD'))
    .addOption(new Option('--client-id <id>', 'client credentials id (from fmp member token)').env('FMP_CLIENT_ID'))
    .addOption(new Option('--client-secret <secret>', 'client credentials secret').env('FMP_CLIENT_SECRET'));
}

/** The global and member-auth options of a command, server normalised. */
export function getMemberAuthOptions(command: Command): MemberAuthOptions & GlobalOptions {
  const options = command.optsWithGlobals<MemberAuthOptions & GlobalOptions>();
  return { ...options, server: normaliseServer(options.server) };
}
