import { readFile } from 'node:fs/promises';
import type { Command } from 'commander';
import { AccountApi } from '../../client/AccountApi';
import { FmpClientError } from '../../client/FmpClientError';
import { fetchServer, readErrorMessage } from '../../client/serverFetch';
import { getOperatorTokenPath, getServerInfoPath } from '../../../pod-server/operator/OperatorFiles';
import { getStateFolder } from '../../server/dataFolders';
import { findMemberAccount } from '../MemberLogin';
import { assertEmail, assertMemberName, getPodUrl } from '../memberNames';
import { addMemberAuthOptions, getMemberAuthOptions, normaliseServer } from '../options';
import { formatTable, printResult } from '../output';

/** A member as `fmp member create` and `fmp member list` print it. */
export interface Member { name: string; pod: string; webId?: string; email?: string }

/** `fmp member create|list|token`. */
export function addMemberCommands(program: Command): void {
  const member = program.command('member').description('create and list the FMP\'s members');

  member.command('create <name>')
    .description('create an account, password login, pod and WebID; prints {name, webId, pod} as JSON')
    .requiredOption('--email <email>', 'login e-mail')
    .requiredOption('--password <password>', 'login password')
    .action(async(name: string, _options: unknown, command: Command): Promise<void> => {
      const { server, email, password } = getMemberAuthOptions(command);
      const created = await createMember(server, name, email!, password!);
      process.stdout.write(`${JSON.stringify(created, null, 2)}\n`);
    });

  member.command('list')
    .description('list every member (operator only: reads the operator token from the data folder)')
    .option('--data <folder>', 'the FMP\'s data folder', process.env.FMP_DATA ?? './data')
    .action(async(options: { data: string }, command: Command): Promise<void> => {
      const { json } = getMemberAuthOptions(command);
      const server = command.getOptionValueSourceWithGlobals('server') === 'default' ?
        undefined :
        getMemberAuthOptions(command).server;
      const members = await listMembers(options.data, server);
      printResult(members, json, (list): string => list.length === 0 ?
        'No members yet.' :
        formatTable([ 'NAME', 'E-MAIL', 'WEBID' ], list.map((m): string[] => [ m.name, m.email ?? '', m.webId ?? '' ])));
    });

  addMemberAuthOptions(member.command('token <name>')
    .description('create client credentials for scripts, bridges and apps acting as the member'))
    .option('--label <label>', 'a name for the credentials', 'fmp-token')
    .action(async(name: string, options: { label: string }, command: Command): Promise<void> => {
      const { server, email, password, json } = getMemberAuthOptions(command);
      if (!email || !password) {
        throw new FmpClientError('give --email and --password (or FMP_EMAIL and FMP_PASSWORD) of the member');
      }
      const { account, webId } = await findMemberAccount(server, name, email, password);
      const credential = await account.createClientCredentials(options.label, webId);
      printResult({ clientId: credential.id, clientSecret: credential.secret, webId, issuer: server }, json, (c): string => [
        `Client credentials for ${webId}`,
        `  client id:     ${c.clientId}`,
        `  client secret: ${c.clientSecret}`,
        `  issuer:        ${c.issuer}`,
        'Keep the secret safe: it acts as the member. Tokens last 600 s; log in again with these credentials when one expires.',
      ].join('\n'));
    });
}

/** Creates the account, password login, pod and WebID of a new member, refusing a taken name or e-mail (`fmp member create`, the web app's sign-up). */
export async function createMember(server: string, name: string, email: string, password: string,
  fetchFn: typeof fetch = fetch): Promise<Member> {
  assertMemberName(name);
  assertEmail(email);
  const pod = getPodUrl(server, name);
  // Every FMP pod has a public WebID profile; the pod itself is private, so probing it says nothing.
  const probe = await fetchServer(new URL('profile/card', pod).href, { method: 'HEAD' });
  if (probe.ok) {
    throw new FmpClientError(`a member named ${name} already exists on ${server}`);
  }
  const account = new AccountApi(server, undefined, fetchFn);
  await account.createAccount();
  try {
    await account.addPasswordLogin(email, password);
  } catch (error: unknown) {
    if (/already is a login/u.test((error as Error).message)) {
      throw new FmpClientError(`the e-mail ${email} already belongs to a member of ${server}`);
    }
    throw error;
  }
  try {
    const created = await account.createPod(name);
    return { name, webId: created.webId, pod: created.pod };
  } catch (error: unknown) {
    if (/already is a resource/u.test((error as Error).message)) {
      throw new FmpClientError(`a member named ${name} already exists on ${server}`);
    }
    throw error;
  }
}

async function listMembers(dataFolder: string, serverOption?: string): Promise<Member[]> {
  const state = getStateFolder(dataFolder);
  let token: string;
  try {
    token = (await readFile(getOperatorTokenPath(state), 'utf8')).trim();
  } catch {
    throw new FmpClientError(`no operator token in ${state}: is ${dataFolder} the data folder of an FMP that has started once?`);
  }
  const server = serverOption ?? await readServerUrl(state);
  const response = await fetchServer(new URL('.fmp/operator/members', server).href, {
    headers: { authorization: `Bearer ${token}`, accept: 'application/json' },
  });
  if (!response.ok) {
    throw new FmpClientError(`the server at ${server} refused the operator token (${response.status}: ${await readErrorMessage(response)}); is it the FMP of ${dataFolder}?`, response.status);
  }
  return ((await response.json()) as { members: Member[] }).members;
}

async function readServerUrl(stateFolder: string): Promise<string> {
  try {
    return normaliseServer((JSON.parse(await readFile(getServerInfoPath(stateFolder), 'utf8')) as { baseUrl: string }).baseUrl);
  } catch {
    throw new FmpClientError(`cannot tell which URL the FMP of ${stateFolder} listens on: give --server`);
  }
}
