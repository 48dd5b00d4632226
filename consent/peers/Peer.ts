import { normaliseIssuer } from '../util/iri';

/** Another FMP this one federates with. */
export interface Peer {
  /** Short operator-chosen name, used in `--peer <name>`. */
  name: string;
  /** OIDC issuer of the peer: every agent it authenticates matches a grant to this peer. */
  issuer: string;
  /** Where access requests and notices for the peer go. */
  inbox: string;
  /** Where the peer publishes the public keys of its consent issuer. */
  jwksUrl: string;
}

/** Thrown for an invalid, duplicate or unknown peer, or an unreadable registry file. */
export class PeerRegistryError extends Error {
  public constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'PeerRegistryError';
  }
}

const NAME = /^[a-z0-9][a-z0-9._-]{0,62}$/iu;

/** Checks one peer against the ones already listed; returns it with its issuer normalised. */
export function validatePeer(peer: Peer, existing: readonly Peer[]): Peer {
  if (typeof peer?.name !== 'string' || !NAME.test(peer.name)) {
    throw new PeerRegistryError(`Invalid peer name ${JSON.stringify(peer?.name)}: use letters, digits, ".", "_" or "-" (max 63).`);
  }
  const checked: Peer = {
    name: peer.name,
    issuer: normaliseIssuer(requireHttpUrl('issuer', peer.issuer)),
    inbox: requireHttpUrl('inbox', peer.inbox),
    jwksUrl: requireHttpUrl('jwksUrl', peer.jwksUrl),
  };
  const sameName = existing.find((other): boolean => other.name.toLowerCase() === checked.name.toLowerCase());
  if (sameName) {
    throw new PeerRegistryError(`A peer named "${sameName.name}" is already listed.`);
  }
  const sameIssuer = existing.find((other): boolean => normaliseIssuer(other.issuer) === checked.issuer);
  if (sameIssuer) {
    throw new PeerRegistryError(`The issuer ${checked.issuer} is already listed as peer "${sameIssuer.name}".`);
  }
  return checked;
}

function requireHttpUrl(field: string, value: unknown): string {
  let url: URL | undefined;
  try {
    url = new URL(value as string);
  } catch {
    url = undefined;
  }
  if (!url || (url.protocol !== 'http:' && url.protocol !== 'https:')) {
    throw new PeerRegistryError(`The peer's ${field} must be an http(s) URL, got ${JSON.stringify(value)}.`);
  }
  return url.href;
}
