import type { Command } from 'commander';
import { getOutboundPolicy, OutboundGuard, parseAllowedHosts, parseOutboundPrivate } from '../../../consent';
import { FmpClientError } from '../../client/FmpClientError';
import { MoveApi } from '../../client/MoveApi';
import type { MoveReport } from '../../migration/movePod';
import { movePod } from '../../migration/movePod';
import { MoveJournal } from '../../migration/MoveJournal';
import { actAsMember, logInAsMember } from '../MemberLogin';
import { assertMemberName } from '../memberNames';
import { addMemberAuthOptions, getMemberAuthOptions, normaliseServer } from '../options';
import { printProgress, printResult, transferProgressLine } from '../output';
import { getConfigFolder, StoredLogins } from '../StoredLogins';

interface MoveOptions {
  to?: string;
  toName?: string;
  toEmail?: string;
  toPassword?: string;
  cancel: boolean;
}

/** `fmp move <member> --to <FMP URL>`: moves the member's pod, grants and identity to another FMP. */
export function addMoveCommands(program: Command): void {
  addMemberAuthOptions(program.command('move <member>')
    .description('move the member\'s pod to another FMP: data, grants and identity follow; old URLs forward there. ' +
      'Safe to run again if it was interrupted.'))
    .option('--to <url>', 'the other FMP\'s base URL')
    .option('--to-name <name>', 'member name on the other FMP (default: the same)')
    .option('--to-email <email>', 'login e-mail on the other FMP (default: --email); the account is created if missing')
    .option('--to-password <password>', 'password on the other FMP (default: --password)')
    .option('--cancel', 'call off a move that was started but not finished (the pod becomes writable again)', false)
    .action(async(member: string, options: MoveOptions, command: Command): Promise<void> => {
      const auth = getMemberAuthOptions(command);
      const stored = new StoredLogins();
      if (options.cancel) {
        await actAsMember(member, auth, stored, async(source): Promise<void> => new MoveApi(auth.server, member, source.session.fetch).cancel());
        printResult({ cancelled: true, member }, auth.json, (): string => `Called off the move of ${member}; the pod is writable again.`);
        return;
      }
      if (!options.to) {
        throw new FmpClientError('say where to move with --to <FMP URL>');
      }
      const target = {
        server: normaliseServer(options.to),
        name: options.toName ?? member,
        email: options.toEmail ?? auth.email,
        password: options.toPassword ?? auth.password,
      };
      assertMemberName(target.name);
      if (!target.email || !target.password) {
        throw new FmpClientError('give the login for the other FMP with --to-email and --to-password (or --email and --password)');
      }
      if (target.server === auth.server) {
        throw new FmpClientError(`the pod is already on ${auth.server}; --to names another FMP`);
      }
      const outbound = createMoveGuard(auth.server, target.server);
      let report: MoveReport;
      try {
        report = await actAsMember(member, auth, stored, async(source): Promise<MoveReport> => movePod(source, auth.server,
          { ...target, email: target.email!, password: target.password! }, {
            outbound,
            logInToTarget: async() => logInAsMember(target.name, { server: target.server, email: target.email, password: target.password }, stored),
            journal: new MoveJournal(getConfigFolder()),
            onStep: printProgress,
            onTransfer: transferProgressLine('copying'),
          }));
      } finally {
        await outbound.close();
      }
      printResult(report, auth.json, describeReport);
    });
}

/**
 * The guard for what others name during a move (grantees' profiles and inboxes): the FMP's own setting if this
 * machine has it (`FMP_OUTBOUND_PRIVATE`, `FMP_OUTBOUND_ALLOW_HOSTS`), else the default for the old FMP's URL
 * (`allow` on loopback); both FMPs of the move are always allowed.
 */
export function createMoveGuard(sourceServer: string, targetServer: string): OutboundGuard {
  const setting = process.env.FMP_OUTBOUND_PRIVATE ? parseOutboundPrivate(process.env.FMP_OUTBOUND_PRIVATE) : undefined;
  const policy = getOutboundPolicy(sourceServer, setting, parseAllowedHosts(process.env.FMP_OUTBOUND_ALLOW_HOSTS));
  return new OutboundGuard({ ...policy, allowedOrigins: [ ...policy.allowedOrigins, new URL(targetServer).origin ]});
}

function describeReport(report: MoveReport): string {
  const lines = [
    `Moved ${report.from.pod} to ${report.to.pod}${report.createdTarget ? ' (account and pod created there)' : ''}.`,
    `New WebID: ${report.to.webId} (names ${report.from.webId}).`,
    `${report.resources ?? '?'} resources ${report.copied === 'now' ? 'copied' : 'were copied by an earlier run'}; ` +
      `old URLs forward (308) until ${report.forwardUntil}.`,
    `${report.grants.length} grant(s) now enforced and signed by ${report.to.server}:`,
    ...report.grants.map((grant): string => `  ${grant.modes.join(',')} on ${grant.scope.join(' ')} for ` +
      `${grant.grantee.webId ?? grant.grantee.issuer ?? grant.grantee.clientId} until ${grant.validUntil}` +
      `${grant.note ? ` (${grant.note})` : ''}`),
    `Move activity ${report.activity}:`,
    ...report.notified.map((sent): string => `  ${sent.grantee}: ${sent.result}${sent.inbox ? ` (${sent.inbox})` : ''}` +
      `${sent.error ? `: ${sent.error}` : ''}`),
  ];
  if (report.notified.length === 0) {
    lines.push('  no live grants, nobody to tell');
  }
  return lines.join('\n');
}
