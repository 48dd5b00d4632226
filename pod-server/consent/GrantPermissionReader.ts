import type { Credentials, IdentifierGenerator, PermissionMap, PermissionReaderInput } from '@solid/community-server';
import { getLoggerFor, IdentifierMap, PermissionReader } from '@solid/community-server';
import { isHostMember, matchGrants } from '../../consent';
import type { GrantAuditor } from './GrantAuditor';
import type { GrantCache } from './GrantCache';
import type { PeerDirectory } from './PeerDirectory';

/**
 * Gives exactly the modes of the member's active consent grants that match the request's credentials and target,
 * beside WAC in CSS's union of permission readers. Never control, never outside the grantor's pod; any error denies.
 */
export class GrantPermissionReader extends PermissionReader {
  protected readonly logger = getLoggerFor(this);

  /**
   * @param grants - The pods' grants, indexed and kept fresh.
   * @param identifierGenerator - Finds the pod a target is in.
   * @param auditor - Records every request a grant allows.
   * @param peers - Only issuers of listed peers count for peer grants, so removing a peer ends its grants.
   * @param baseUrl - The FMP's base URL, which is its own identity provider's issuer: the agents it authenticates
   *   are the members an fmp-members grant is for.
   */
  public constructor(
    private readonly grants: GrantCache,
    private readonly identifierGenerator: IdentifierGenerator,
    private readonly auditor: GrantAuditor,
    private readonly peers: PeerDirectory,
    private readonly baseUrl: string,
  ) {
    super();
  }

  public async handle({ credentials: given, requestedModes }: PermissionReaderInput): Promise<PermissionMap> {
    const result: PermissionMap = new IdentifierMap();
    // Decided on the credentials as verified, before an unlisted issuer is dropped below.
    const hostMember = isHostMember(given, this.baseUrl);
    // The peer list is only read once a pod with grants is involved, not on every authenticated request.
    let credentials: Credentials | undefined;
    const now = new Date();
    for (const [ identifier, modes ] of requestedModes.entrySets()) {
      try {
        const podRoot = this.identifierGenerator.extractPod(identifier).path;
        const { index, owners } = await this.grants.getPodGrants(podRoot);
        if (index.size === 0) {
          continue;
        }
        credentials ??= await this.withListedIssuerOnly(given);
        const { permissions, grantIds } = matchGrants(index,
          { credentials, target: identifier.path, now, podRoot, podOwners: owners, hostMember });
        if (grantIds.length === 0) {
          continue;
        }
        result.set(identifier, permissions);
        const used = [ ...modes ].filter((mode): boolean => permissions[mode as keyof typeof permissions] === true);
        if (used.length > 0) {
          this.audit(podRoot, identifier.path, used, grantIds, credentials);
        }
      } catch (error: unknown) {
        // Fail closed: no grant-based permissions for this target (WAC still applies).
        this.logger.warn(`Grants not applied to ${identifier.path}: ${(error as Error).message}`);
      }
    }
    return result;
  }

  private async withListedIssuerOnly(credentials: Credentials): Promise<Credentials> {
    if (!credentials.issuer?.url || await this.peers.isListedIssuer(credentials.issuer.url)) {
      return credentials;
    }
    const { issuer: _unlisted, ...rest } = credentials;
    return rest;
  }

  private audit(podRoot: string, resource: string, used: string[], grantIds: string[],
    credentials: PermissionReaderInput['credentials']): void {
    this.auditor.record(podRoot, {
      time: new Date(),
      grantee: credentials.agent?.webId ?? credentials.client?.clientId ?? credentials.issuer?.url ?? 'anonymous',
      client: credentials.client?.clientId,
      resource,
      access: used.join(','),
      grantId: grantIds.join(' '),
    });
  }
}
