import type { Command } from 'commander';
import { FmpClientError } from '../../client/FmpClientError';
import { findMemberAccount, logInAsMember } from '../MemberLogin';
import { addMemberAuthOptions, getMemberAuthOptions } from '../options';
import { printResult } from '../output';
import { StoredLogins } from '../StoredLogins';

/** `fmp login <name>` and `fmp whoami <name>`. */
export function addLoginCommands(program: Command): void {
  program.command('login <name>')
    .description('store a client credential for the member in your config folder, so later commands need no password')
    .option('--email <email>', 'the member\'s login e-mail', process.env.FMP_EMAIL)
    .option('--password <password>', 'the member\'s password', process.env.FMP_PASSWORD)
    .action(async(name: string, _options: unknown, command: Command): Promise<void> => {
      const { server, email, password, json } = getMemberAuthOptions(command);
      if (!email || !password) {
        throw new FmpClientError('give --email and --password (or FMP_EMAIL and FMP_PASSWORD) to log in');
      }
      const { account, pod, webId } = await findMemberAccount(server, name, email, password);
      const credential = await account.createClientCredentials(`fmp-cli-login-${name}`, webId);
      const logins = new StoredLogins();
      await logins.set(server, name, { clientId: credential.id, clientSecret: credential.secret, webId, pod });
      printResult({ name, webId, pod, server, file: logins.file }, json,
        (login): string => `Logged in as ${login.name} (${login.webId}) on ${login.server}; credentials kept in ${login.file}.`);
    });

  addMemberAuthOptions(program.command('whoami <name>')
    .description('log in as the member and show who that is'))
    .action(async(name: string, _options: unknown, command: Command): Promise<void> => {
      const options = getMemberAuthOptions(command);
      const member = await logInAsMember(name, options, new StoredLogins());
      try {
        const webId = await member.session.getWebId();
        printResult({ name, webId, pod: member.pod, server: options.server }, options.json,
          (who): string => `${who.name}: ${who.webId}, pod ${who.pod}`);
      } finally {
        await member.close();
      }
    });
}
