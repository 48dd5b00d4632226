import type { Command } from 'commander';
import { Option } from 'commander';
import type { GrantJson, NewGrant } from '../../client/ConsentApi';
import { ConsentApi } from '../../client/ConsentApi';
import { FmpClientError } from '../../client/FmpClientError';
import { actAsMember } from '../MemberLogin';
import { addMemberAuthOptions, getMemberAuthOptions } from '../options';
import { formatTable, printResult } from '../output';
import { StoredLogins } from '../StoredLogins';

interface CreateOptions {
  to?: string;
  app?: string;
  peer?: string;
  fmpMembers?: boolean;
  public?: boolean;
  scope: string[];
  modes: string;
  for: string;
  purpose: string;
  purposeIri?: string;
}

/** Who a grant is for, in a few words. */
export function describeGrantee(grantee: GrantJson['grantee']): string {
  switch (grantee.kind) {
    case 'agent': return grantee.webId ?? '';
    case 'app': return `app ${grantee.clientId}${grantee.webId ? ` as ${grantee.webId}` : ''}`;
    case 'fmp-members': return 'every member of this FMP';
    case 'public': return 'everyone (public, anonymous included)';
    default: return `peer ${grantee.peerName ?? ''} (${grantee.issuer})`;
  }
}

/** The last segment of a grant or request IRI, as the CLI shows and accepts it. */
export function shortId(id: string): string {
  return id.split('/').pop() ?? id;
}

function describeGrant(grant: GrantJson): string {
  return [
    `Grant ${shortId(grant.id)} (${grant.state})`,
    `  to:      ${describeGrantee(grant.grantee)}`,
    `  scope:   ${grant.scope.join(', ')}`,
    `  modes:   ${grant.modes.join(', ')}`,
    `  purpose: ${grant.purpose.text}${grant.purpose.iri ? ` <${grant.purpose.iri}>` : ''}`,
    `  valid:   ${grant.validFrom} until ${grant.validUntil}`,
  ].join('\n');
}

function toGranteeInput(options: CreateOptions): NewGrant['grantee'] {
  if (options.fmpMembers) {
    return { audience: 'fmp-members' };
  }
  if (options.public) {
    return { audience: 'public' };
  }
  return options.peer ? { peer: options.peer } : { clientId: options.app, webId: options.to };
}

/** `fmp grant create|list|revoke`. */
export function addGrantCommands(program: Command): void {
  const grant = program.command('grant').description('give, list and revoke time-limited access to parts of a pod');

  addMemberAuthOptions(grant.command('create <member>')
    .description('grant an agent, an app or a peer FMP access to parts of the member\'s pod, for a limited time'))
    .option('--to <webid>', 'the agent (WebID) to grant; with --app, the WebID the app must act as')
    .option('--app <client id>', 'the app (Solid-OIDC client id) to grant')
    .option('--peer <name or issuer>', 'the peer FMP to grant: every agent it authenticates')
    .option('--fmp-members', 'grant every member of this FMP (any agent its identity provider authenticates)')
    .option('--public', 'grant everyone, anonymous included (read only)')
    .addOption(new Option('--scope <path or URL>', 'a container (like catalog/) or resource in the pod; repeat for more')
      .argParser((value: string, previous: string[] = []): string[] => [ ...previous, value ]).makeOptionMandatory())
    .requiredOption('--modes <modes>', 'read, append and/or write, comma-separated')
    .requiredOption('--for <duration>', 'how long: 90s, 15m, 2h, 30d')
    .requiredOption('--purpose <text>', 'why access is given')
    .option('--purpose-iri <iri>', 'a purpose IRI, e.g. from W3C DPV')
    .action(async(member: string, options: CreateOptions, command: Command): Promise<void> => {
      const auth = getMemberAuthOptions(command);
      if ([ options.peer, options.app, options.to && !options.app, options.fmpMembers, options.public ].filter(Boolean).length !== 1) {
        throw new FmpClientError('name exactly one grantee: --to <webid>, --app <client id> [--to <webid>], --peer <name>, ' +
          '--fmp-members or --public');
      }
      const created = await actAsMember(member, auth, new StoredLogins(), async(context): Promise<{ grant: GrantJson; credential: string }> =>
        new ConsentApi(auth.server, member, context.session.fetch).createGrant({
          grantee: toGranteeInput(options),
          scope: options.scope,
          modes: options.modes.split(',').map((mode): string => mode.trim()).filter(Boolean),
          purpose: { text: options.purpose, ...options.purposeIri ? { iri: options.purposeIri } : {} },
          duration: options.for,
        }));
      printResult(created, auth.json, ({ grant: made }): string => made.grantee.kind === 'public' ?
        `${describeGrant(made)}\nWarning: anyone on the internet can now read this, without logging in, until it expires or you revoke it.` :
        describeGrant(made));
    });

  addMemberAuthOptions(grant.command('list <member>')
    .description('list the member\'s grants'))
    .option('--state <state>', 'only active, expired, revoked or pending grants')
    .action(async(member: string, options: { state?: string }, command: Command): Promise<void> => {
      const auth = getMemberAuthOptions(command);
      const grants = await actAsMember(member, auth, new StoredLogins(), async(context): Promise<GrantJson[]> =>
        new ConsentApi(auth.server, member, context.session.fetch).listGrants(options.state));
      printResult(grants, auth.json, (list): string => list.length === 0 ?
        'No grants.' :
        formatTable([ 'ID', 'STATE', 'GRANTEE', 'MODES', 'SCOPE', 'UNTIL' ], list.map((entry): string[] => [
          shortId(entry.id), entry.state, describeGrantee(entry.grantee), entry.modes.join(','),
          entry.scope.map((scope): string => scope.replace(entry.grantor.replace(/profile\/card#me$/u, ''), '')).join(' '),
          entry.validUntil,
        ])));
    });

  addMemberAuthOptions(grant.command('revoke <member> <grantId>')
    .description('revoke a grant: it stops working on the very next request'))
    .action(async(member: string, id: string, _options: unknown, command: Command): Promise<void> => {
      const auth = getMemberAuthOptions(command);
      const revoked = await actAsMember(member, auth, new StoredLogins(), async(context): Promise<GrantJson> =>
        new ConsentApi(auth.server, member, context.session.fetch).revokeGrant(id));
      printResult(revoked, auth.json, (made): string => `Revoked grant ${shortId(made.id)} (to ${describeGrantee(made.grantee)}).`);
    });
}
