import type { Command } from 'commander';
import { Option } from 'commander';
import type { BridgeStatus } from '../../../bridges/runtime/BridgeService';
import type { TargetAdapter } from '../../../bridges/runtime/TargetAdapter';
import { BridgeApi } from '../../client/BridgeApi';
import type { GrantJson } from '../../client/ConsentApi';
import { ConsentApi } from '../../client/ConsentApi';
import { FmpClientError } from '../../client/FmpClientError';
import type { MemberContext } from '../MemberLogin';
import { actAsMember } from '../MemberLogin';
import { addMemberAuthOptions, getMemberAuthOptions } from '../options';
import { formatTable, printProgress, printResult } from '../output';
import { StoredLogins } from '../StoredLogins';
import type { BridgeTargetDefinition } from './bridgeTargets';

/** How often `sync` asks how far the bridge is. */
const SYNC_POLL_MS = 500;

/**
 * `fmp bridge <target> connect|sync|status|preview|retry|renew|disconnect <member>`: the same commands for every
 * target, through the member's own login; only `connect`'s settings differ.
 */
export function addBridgeTargetCommands(command: Command, { adapter, settings }: BridgeTargetDefinition,
  afterConnect: (server: string, member: string) => string): void {
  const connect = command.command('connect <member>')
    .description(`connect the member's pod to ${adapter.label}: grants the ${adapter.label} bridge access to ` +
      `${adapter.containers.map((kind): string => `${kind}/`).join(', ')} and bridges/${adapter.target}/, then syncs`)
    .addOption(new Option('--for <duration>', 'how long the grant lasts (at most the FMP\'s maximum)').default('90d'));
  for (const option of settings) {
    option.optional ? connect.option(option.flags, option.description) : connect.requiredOption(option.flags, option.description);
  }
  addMemberAuthOptions(connect).action(async(member: string, options: Record<string, string>, cmd: Command): Promise<void> => {
    const auth = getMemberAuthOptions(cmd);
    const status = await withBridge(adapter, member, cmd, async(api, consent, context): Promise<BridgeStatus> =>
      connectBridge(api, consent, context, adapter, options.for,
        Object.fromEntries(settings.map((option): [string, string] => [ option.setting, options[new Option(option.flags).attributeName()] ])
          .filter(([ , value ]): boolean => value !== undefined)),
        (grant): void => printProgress(`granted the ${adapter.label} bridge access until ${grant.validUntil}; connecting…`)));
    printResult(status, auth.json, (s): string => `Connected ${s.pod} to ${adapter.label}; the first sync is under way.\n` +
      afterConnect(auth.server, member));
  });

  addMemberAuthOptions(command.command('sync <member>')
    .description(`reconcile the pod and ${adapter.label} both ways now, with progress`))
    .action(async(member: string, _options: unknown, cmd: Command): Promise<void> => {
      const auth = getMemberAuthOptions(cmd);
      const status = await withBridge(adapter, member, cmd, async(api): Promise<BridgeStatus> => syncWithProgress(api));
      printResult(status, auth.json, describeStatus);
    });

  addMemberAuthOptions(command.command('status <member>')
    .description('last sync, queue, dead letters and when the bridge\'s grant ends'))
    .action(async(member: string, _options: unknown, cmd: Command): Promise<void> => {
      const auth = getMemberAuthOptions(cmd);
      printResult(await withBridge(adapter, member, cmd, async(api): Promise<BridgeStatus> => api.status()), auth.json, describeStatus);
    });

  addMemberAuthOptions(command.command('preview <member>')
    .description(`what a sync would send to ${adapter.label}, without sending it`))
    .action(async(member: string, _options: unknown, cmd: Command): Promise<void> => {
      const auth = getMemberAuthOptions(cmd);
      const lines = await withBridge(adapter, member, cmd, async(api): Promise<Awaited<ReturnType<BridgeApi['preview']>>> => api.preview());
      printResult(lines, auth.json, (all): string => formatTable([ 'action', 'resource', 'why' ],
        all.map((line): string[] => [ line.action, line.resource, line.reason ?? '' ])));
    });

  addMemberAuthOptions(command.command('retry <member>')
    .description(`send the changes ${adapter.label} refused (dead letters) again, after a fix`))
    .action(async(member: string, _options: unknown, cmd: Command): Promise<void> => {
      const auth = getMemberAuthOptions(cmd);
      const result = await withBridge(adapter, member, cmd, async(api): Promise<{ retried: number }> => api.retry());
      printResult(result, auth.json, (r): string => `${r.retried} change(s) queued again.`);
    });

  addMemberAuthOptions(command.command('renew <member>')
    .description('give the bridge a new grant (the old one is revoked), for --for')
    .addOption(new Option('--for <duration>', 'how long the new grant lasts').default('90d')))
    .action(async(member: string, options: { for: string }, cmd: Command): Promise<void> => {
      const auth = getMemberAuthOptions(cmd);
      const status = await withBridge(adapter, member, cmd, async(api, consent, context): Promise<BridgeStatus> => {
        const old = await api.status();
        const grant = await grantBridge(api, consent, context, adapter, options.for);
        const renewed = await api.renew({ id: grant.id, validUntil: grant.validUntil });
        await consent.revokeGrant(old.grant.id).catch((): void => undefined);
        return renewed;
      });
      printResult(status, auth.json, (s): string => `The ${adapter.label} bridge may work until ${s.grant.validUntil}.`);
    });

  addMemberAuthOptions(command.command('disconnect <member>')
    .description(`stop the ${adapter.label} bridge: its grant revoked, the target's secrets forgotten (the link table stays in the pod)`))
    .action(async(member: string, _options: unknown, cmd: Command): Promise<void> => {
      const auth = getMemberAuthOptions(cmd);
      const revoked = await withBridge(adapter, member, cmd, async(api, consent): Promise<number> => {
        const bridgeWebId = await api.bridgeWebId();
        await api.disconnect().catch((error: FmpClientError): void => {
          if (error.status !== 404) {
            throw error;
          }
        });
        const grants = (await consent.listGrants('active')).filter((grant): boolean => grant.grantee.webId === bridgeWebId);
        for (const grant of grants) {
          await consent.revokeGrant(grant.id);
        }
        return grants.length;
      });
      printResult({ disconnected: member, revokedGrants: revoked }, auth.json, (): string =>
        `Disconnected ${member} from ${adapter.label}; ${revoked} grant(s) revoked.`);
    });
}

/**
 * Connects the member's pod to a target (`fmp bridge <target> connect`, the web app's connect form): grants the
 * target's bridge what it needs, then hands the bridge the settings, which it checks against the target. When the
 * bridge refuses (a setting missing, the target unreachable, a token refused), the grant just made is revoked again.
 */
export async function connectBridge(api: BridgeApi, consent: ConsentApi, context: BridgeMemberContext, adapter: TargetAdapter,
  duration: string, settings: Record<string, string>, onGranted?: (grant: GrantJson) => void): Promise<BridgeStatus> {
  const grant = await grantBridge(api, consent, context, adapter, duration);
  onGranted?.(grant);
  try {
    return await api.connect({ id: grant.id, validUntil: grant.validUntil }, settings);
  } catch (error: unknown) {
    await consent.revokeGrant(grant.id).catch((): void => undefined);
    throw error;
  }
}

/** What connecting needs of the member: their pod and their authenticated fetch. */
export interface BridgeMemberContext {
  pod: string;
  session: { fetch: typeof fetch };
}

/** Grants the target's bridge what it needs in the member's pod, making `bridges/<target>/` first. */
export async function grantBridge(api: BridgeApi, consent: ConsentApi, context: BridgeMemberContext, adapter: TargetAdapter,
  duration: string): Promise<GrantJson> {
  const bridgeWebId = await api.bridgeWebId();
  const folder = `${context.pod}bridges/${adapter.target}/`;
  const made = await context.session.fetch(folder, { method: 'PUT', headers: { 'content-type': 'text/turtle' }, body: '' });
  if (!made.ok && made.status !== 409) {
    throw new FmpClientError(`could not make ${folder}: ${made.status} ${await made.text()}`);
  }
  const { grant } = await consent.createGrant({
    grantee: { webId: bridgeWebId },
    scope: [ ...adapter.containers.map((kind): string => `${kind}/`), `bridges/${adapter.target}/` ],
    modes: [ 'read', 'append', 'write' ],
    purpose: `${adapter.label} bridge`,
    duration,
  });
  return grant;
}

/** Queues a full sync, then shows how many changes are left until none are. */
async function syncWithProgress(api: BridgeApi): Promise<BridgeStatus> {
  let status = await api.sync();
  const started = status.lastSyncAt;
  let total = status.queue;
  while (status.queue > 0 || status.lastSyncAt === started) {
    total = Math.max(total, status.queue);
    const done = total - status.queue;
    const width = 30;
    const filled = total === 0 ? 0 : Math.round(width * done / total);
    const line = `syncing [${'#'.repeat(filled)}${'.'.repeat(width - filled)}] ${done}/${total}`;
    process.stderr.write(process.stderr.isTTY ? `\r${line}` : `${line}\n`);
    await new Promise((resolve): void => {
      setTimeout(resolve, SYNC_POLL_MS);
    });
    status = await api.status();
    if (status.pausedBecause) {
      throw new FmpClientError(status.pausedBecause);
    }
  }
  process.stderr.write(process.stderr.isTTY ? `\rsync done${' '.repeat(40)}\n` : 'sync done\n');
  return status;
}

function describeStatus(status: BridgeStatus): string {
  return [
    `${status.target} bridge of ${status.member} (${status.pod})`,
    `  last sync:    ${status.lastSyncAt ?? 'never'}`,
    `  queue:        ${status.queue} change(s) waiting`,
    `  dead letters: ${status.deadLetters.length}${status.deadLetters.map((dead): string =>
      `\n    ${dead.key}: ${dead.reason ?? ''}`).join('')}`,
    `  grant:        until ${status.grant.validUntil} (${status.grantExpiresInDays} days)` +
      (status.grantExpiresInDays < 7 ? ` — renew it: npx fmp bridge ${status.target} renew ${status.member}` : ''),
    ...status.pausedBecause ? [ `  STOPPED:      ${status.pausedBecause}` ] : [],
  ].join('\n');
}

/** Logs in as the member and runs `work` with the target's bridge API and the member's consent API. */
async function withBridge<T>(adapter: TargetAdapter, member: string, command: Command,
  work: (api: BridgeApi, consent: ConsentApi, context: MemberContext) => Promise<T>): Promise<T> {
  const auth = getMemberAuthOptions(command);
  return actAsMember(member, auth, new StoredLogins(), async(context: MemberContext): Promise<T> =>
    work(new BridgeApi(auth.server, adapter.target, member, context.session.fetch),
      new ConsentApi(auth.server, member, context.session.fetch), context));
}
