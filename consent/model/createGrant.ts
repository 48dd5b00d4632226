import { randomUUID } from 'node:crypto';
import { hasDotSegment, isWithin, normaliseHttpIri, normaliseIssuer } from '../util/iri';
import { isAuxiliaryResource } from '../util/auxiliary';
import { GrantValidationError } from './errors';
import type { Grant, Grantee, GrantMode, Purpose } from './Grant';
import { FMP_MEMBERS_AGENT, GRANT_MODES, isAudienceGrantee, PUBLIC_AGENT } from './Grant';
import { freezeGrant } from './freezeGrant';
import { formatDuration } from './parseDuration';
import { AUDIENCE_RESERVED_PATHS } from '../enforcement/permissionsFromGrants';

/** The FMP's default maximum grant duration: 90 days. */
export const DEFAULT_MAX_GRANT_DURATION = 90 * 86_400_000;

/** What a member (or the CLI/API on their behalf) asks for when creating a grant. */
export interface GrantInput {
  /** IRI for the grant resource; defaults to `<podRoot>consent/<uuid>`. */
  id?: string;
  grantor: string;
  /** Root container of the grantor's pod; every scope entry must be inside it. */
  podRoot: string;
  grantee: Grantee;
  /** Absolute IRIs, or paths relative to `podRoot` such as `catalog/`. */
  scope: readonly string[];
  /** Untrusted strings: anything outside read/append/write is refused. */
  modes: readonly string[];
  purpose: Purpose;
  /** Defaults to `now`. */
  validFrom?: Date;
  validUntil: Date;
}

/** A peer the FMP federates with, as far as grant validation needs to know it. */
export interface KnownPeer {
  name: string;
  issuer: string;
}

/** The clock and the FMP's limits. */
export interface CreateGrantOptions {
  now: Date;
  /** Milliseconds; defaults to DEFAULT_MAX_GRANT_DURATION. */
  maxDuration?: number;
  /** When given, a peer grantee must be one of these issuers. */
  peers?: readonly KnownPeer[];
}

/** Validates the input and returns a new, frozen, active grant; throws GrantValidationError naming the field. */
export function createGrant(input: GrantInput, options: CreateGrantOptions): Grant {
  const podRoot = requirePodRoot(input.podRoot);
  const id = requireIri('id', input.id ?? `${podRoot}consent/${randomUUID()}`);
  if (!isWithin(podRoot, id)) {
    throw new GrantValidationError('id', `The grant ${id} must be stored inside the grantor's pod ${podRoot}.`);
  }
  const { validFrom, validUntil } = checkValidity(input, options);
  const grantee = checkGrantee(input.grantee, options.peers);
  const scope = checkScope(input.scope, podRoot);
  const modes = checkModes(input.modes);
  if (isAudienceGrantee(grantee)) {
    checkAudienceGrant(grantee.kind, scope, modes, podRoot);
  }
  return freezeGrant({
    id,
    grantor: requireIri('grantor', input.grantor, true),
    grantee,
    scope,
    modes,
    purpose: checkPurpose(input.purpose),
    validFrom,
    validUntil,
    status: 'active',
    issuedAt: new Date(options.now.getTime()),
  });
}

// WebIDs usually have a fragment (`#me`); resource IRIs may not.
function requireIri(field: string, value: unknown, allowFragment = false): string {
  const iri = typeof value === 'string' ? normaliseHttpIri(value, allowFragment) : undefined;
  if (!iri || hasDotSegment(value as string)) {
    throw new GrantValidationError(field, `${field} must be an absolute http(s) IRI, got ${JSON.stringify(value)}.`);
  }
  return iri;
}

function requirePodRoot(value: string): string {
  const podRoot = requireIri('podRoot', value);
  if (!podRoot.endsWith('/')) {
    throw new GrantValidationError('podRoot', `podRoot must be a container IRI ending in "/", got ${value}.`);
  }
  return podRoot;
}

function checkGrantee(grantee: Grantee, peers?: readonly KnownPeer[]): Grantee {
  switch (grantee?.kind) {
    case 'agent':
      return { kind: 'agent', webId: requireAgentWebId(grantee.webId) };
    case 'app':
      if (typeof grantee.clientId !== 'string' || grantee.clientId.trim() !== grantee.clientId ||
        grantee.clientId.length === 0) {
        throw new GrantValidationError('grantee.clientId', 'An app grantee needs a non-empty client id.');
      }
      return grantee.webId === undefined ?
        { kind: 'app', clientId: grantee.clientId } :
        { kind: 'app', clientId: grantee.clientId, webId: requireIri('grantee.webId', grantee.webId, true) };
    case 'peer':
      return checkPeer(normaliseIssuer(requireIri('grantee.issuer', grantee.issuer)), grantee.peerName, peers);
    case 'fmp-members':
      return { kind: 'fmp-members' };
    case 'public':
      return { kind: 'public' };
    default:
      throw new GrantValidationError('grantee', 'The grantee must be an agent, an app, a peer, the FMP\'s members or the public.');
  }
}

// The audience IRIs must not sneak in as an agent's WebID: they would read back as an audience grant.
function requireAgentWebId(value: unknown): string {
  const webId = requireIri('grantee.webId', value, true);
  if (webId === FMP_MEMBERS_AGENT || webId === PUBLIC_AGENT) {
    throw new GrantValidationError('grantee.webId', `${webId} is not a WebID; grant to the FMP's members or the public instead.`);
  }
  return webId;
}

/**
 * A grant to every member or to everyone never covers `consent/` or `inbox/`, nor a container above them (the pod
 * root would list them); a public one is read only.
 */
function checkAudienceGrant(kind: 'fmp-members' | 'public', scope: readonly string[], modes: readonly GrantMode[],
  podRoot: string): void {
  const who = kind === 'public' ? 'everyone' : 'every member of the FMP';
  for (const entry of scope) {
    for (const path of AUDIENCE_RESERVED_PATHS) {
      const reserved = new URL(path, podRoot).href;
      if (isWithin(reserved, entry) || isWithin(entry, reserved)) {
        throw new GrantValidationError('scope', `A grant to ${who} may not cover ${path} (the member's grants and ` +
          `inbox stay private)${isWithin(entry, reserved) ? `; ${entry} holds it, so name the containers to share instead` : ''}.`);
      }
    }
  }
  if (kind === 'public' && modes.some((mode): boolean => mode !== 'read')) {
    throw new GrantValidationError('modes', 'A public grant is read only: everyone, anonymous included, could change the data.');
  }
}

function checkPeer(issuer: string, peerName: string | undefined, peers?: readonly KnownPeer[]): Grantee {
  if (!peers) {
    return peerName === undefined ? { kind: 'peer', issuer } : { kind: 'peer', issuer, peerName };
  }
  const peer = peers.find((known): boolean => normaliseIssuer(known.issuer) === issuer);
  if (!peer) {
    throw new GrantValidationError('grantee.issuer',
      `${issuer} is not a listed peer FMP; add it first (known peers: ${peers.map((p): string => p.name).join(', ') || 'none'}).`);
  }
  return { kind: 'peer', issuer, peerName: peer.name };
}

function checkScope(scope: readonly string[], podRoot: string): string[] {
  if (!Array.isArray(scope) || scope.length === 0) {
    throw new GrantValidationError('scope', 'A grant needs at least one resource or container in its scope.');
  }
  const resolved = scope.map((entry): string => {
    if (typeof entry !== 'string' || hasDotSegment(entry) || entry.startsWith('/')) {
      throw new GrantValidationError('scope', `Scope entry ${JSON.stringify(entry)} must be a pod path or IRI without "." or ".." segments.`);
    }
    const iri = resolveInPod(entry, podRoot);
    if (!iri || !isWithin(podRoot, iri)) {
      throw new GrantValidationError('scope', `Scope entry ${entry} is outside the grantor's pod ${podRoot}.`);
    }
    if (isAuxiliaryResource(iri)) {
      throw new GrantValidationError('scope', `Scope entry ${entry} is an auxiliary (.acl/.meta) resource; those are never shared.`);
    }
    return iri;
  });
  return [ ...new Set(resolved) ];
}

function resolveInPod(entry: string, podRoot: string): string | undefined {
  try {
    return normaliseHttpIri(new URL(entry, podRoot).href);
  } catch {
    return undefined;
  }
}

function checkModes(modes: readonly string[]): GrantMode[] {
  if (!Array.isArray(modes) || modes.length === 0) {
    throw new GrantValidationError('modes', 'A grant needs at least one mode: read, append or write.');
  }
  for (const mode of modes) {
    if (!(GRANT_MODES as readonly string[]).includes(mode)) {
      throw new GrantValidationError('modes', String(mode).toLowerCase() === 'control' ?
        'Grants never give control (ACL) access.' :
        `Unknown mode ${JSON.stringify(mode)}: use read, append or write.`);
    }
  }
  return GRANT_MODES.filter((mode): boolean => modes.includes(mode));
}

function checkPurpose(purpose: Purpose): Purpose {
  const text = typeof purpose?.text === 'string' ? purpose.text.trim() : '';
  if (text.length === 0) {
    throw new GrantValidationError('purpose.text', 'A grant needs a purpose the member can read.');
  }
  if (purpose.iri === undefined) {
    return { text };
  }
  try {
    return { text, iri: new URL(purpose.iri).href };
  } catch {
    throw new GrantValidationError('purpose.iri', `purpose.iri must be an absolute IRI, got ${JSON.stringify(purpose.iri)}.`);
  }
}

// Times are cut to whole seconds because the VC-JWT carries them as NumericDate (seconds);
// cutting never lengthens a grant.
function checkValidity(input: GrantInput, options: CreateGrantOptions): { validFrom: Date; validUntil: Date } {
  const maxDuration = options.maxDuration ?? DEFAULT_MAX_GRANT_DURATION;
  const validFrom = toWholeSeconds(input.validFrom ?? options.now);
  if (!(input.validUntil instanceof Date) || Number.isNaN(input.validUntil.getTime())) {
    throw new GrantValidationError('validUntil', 'A grant needs an end date (validUntil).');
  }
  if (Number.isNaN(validFrom.getTime())) {
    throw new GrantValidationError('validFrom', 'validFrom is not a valid date.');
  }
  const validUntil = toWholeSeconds(input.validUntil);
  if (validUntil.getTime() <= validFrom.getTime()) {
    throw new GrantValidationError('validUntil', 'validUntil must be after validFrom.');
  }
  if (validUntil.getTime() <= options.now.getTime()) {
    throw new GrantValidationError('validUntil', 'validUntil is in the past: the grant would never work.');
  }
  if (validUntil.getTime() - validFrom.getTime() > maxDuration) {
    throw new GrantValidationError('validUntil',
      `A grant may last at most ${formatDuration(maxDuration)} on this FMP; shorten it.`);
  }
  return { validFrom, validUntil };
}

function toWholeSeconds(date: Date): Date {
  return new Date(Math.floor(date.getTime() / 1_000) * 1_000);
}
