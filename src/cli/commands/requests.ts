import type { Command } from 'commander';
import type { AccessRequestJson } from '../../client/ConsentApi';
import { ConsentApi } from '../../client/ConsentApi';
import { actAsMember } from '../MemberLogin';
import { addMemberAuthOptions, getMemberAuthOptions } from '../options';
import { formatTable, printResult } from '../output';
import { StoredLogins } from '../StoredLogins';
import { describeGrantee, shortId } from './grant';

/** `fmp requests list|approve|deny` and `fmp audit`. */
export function addRequestCommands(program: Command): void {
  const requests = program.command('requests').description('answer the access requests apps and peers sent to a member');

  addMemberAuthOptions(requests.command('list <member>')
    .description('list access requests in the member\'s inbox'))
    .option('--status <status>', 'pending, approved, denied or all', 'pending')
    .action(async(member: string, options: { status: string }, command: Command): Promise<void> => {
      const auth = getMemberAuthOptions(command);
      const list = await actAsMember(member, auth, new StoredLogins(), async(context): Promise<AccessRequestJson[]> =>
        new ConsentApi(auth.server, member, context.session.fetch).listRequests(options.status));
      printResult(list, auth.json, (found): string => found.length === 0 ?
        'No access requests.' :
        formatTable([ 'ID', 'STATUS', 'FROM', 'MODES', 'SCOPE', 'FOR', 'PURPOSE' ], found.map((request): string[] => [
          shortId(request.id), request.status, describeGrantee(request.requester), request.modes.join(','),
          request.scope.join(' '), request.duration, request.purpose.text,
        ])));
    });

  addMemberAuthOptions(requests.command('approve <member> <requestId>')
    .description('approve a request, creating the grant; --for and --scope may give less than was asked'))
    .option('--for <duration>', 'a shorter duration than requested')
    .option('--scope <path or URL...>', 'a narrower scope than requested')
    .action(async(member: string, id: string, options: { for?: string; scope?: string[] }, command: Command): Promise<void> => {
      const auth = getMemberAuthOptions(command);
      const answer = await actAsMember(member, auth, new StoredLogins(), async(context): ReturnType<ConsentApi['approveRequest']> =>
        new ConsentApi(auth.server, member, context.session.fetch).approveRequest(id, { duration: options.for, scope: options.scope }));
      printResult(answer, auth.json, ({ grant }): string =>
        `Approved: grant ${shortId(grant.id)} gives ${describeGrantee(grant.grantee)} ${grant.modes.join(',')} on ${grant.scope.join(' ')} until ${grant.validUntil}.`);
    });

  addMemberAuthOptions(requests.command('deny <member> <requestId>')
    .description('deny a request'))
    .action(async(member: string, id: string, _options: unknown, command: Command): Promise<void> => {
      const auth = getMemberAuthOptions(command);
      const denied = await actAsMember(member, auth, new StoredLogins(), async(context): Promise<AccessRequestJson> =>
        new ConsentApi(auth.server, member, context.session.fetch).denyRequest(id));
      printResult(denied, auth.json, (request): string => `Denied request ${shortId(request.id)} from ${describeGrantee(request.requester)}.`);
    });

  addMemberAuthOptions(program.command('audit <member>')
    .description('show every request a grant allowed in the member\'s pod, newest first'))
    .option('--limit <n>', 'how many entries', '50')
    .action(async(member: string, options: { limit: string }, command: Command): Promise<void> => {
      const auth = getMemberAuthOptions(command);
      const entries = await actAsMember(member, auth, new StoredLogins(), async(context): ReturnType<ConsentApi['readAudit']> =>
        new ConsentApi(auth.server, member, context.session.fetch).readAudit(Number(options.limit)));
      printResult(entries, auth.json, (list): string => list.length === 0 ?
        'No access through grants yet.' :
        formatTable([ 'TIME', 'WHO', 'CLIENT', 'ACCESS', 'RESOURCE', 'GRANT' ], list.map((entry): string[] => [
          entry.time, entry.grantee, entry.client ?? '', entry.access, entry.resource,
          entry.grantId.split(' ').map(shortId).join(' '),
        ])));
    });
}
