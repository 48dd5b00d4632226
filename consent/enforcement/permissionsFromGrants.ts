import type { Grant, GrantMode } from '../model/Grant';
import { isAuxiliaryResource } from '../util/auxiliary';
import { getParentContainer, hasDotSegment, isWithin, normaliseHttpIri } from '../util/iri';
import { isAudienceGrantee } from '../model/Grant';
import { isGranteeMatched } from './granteeKeys';
import type { IndexedGrant } from './GrantIndex';
import { GrantIndex } from './GrantIndex';
import type { GrantPermissionSet, RequestCredentials } from './RequestCredentials';

/** Pod-relative containers no grant ever reaches, whatever its scope: the member's grants and requests. */
export const DEFAULT_RESERVED_PATHS: readonly string[] = [ 'consent/' ];

/**
 * Pod-relative containers a grant to an audience (every member of the FMP, or everyone) never reaches, nor any
 * container above them: the member's grants and requests, and what others sent them.
 */
export const AUDIENCE_RESERVED_PATHS: readonly string[] = [ 'consent/', 'inbox/' ];

/** Everything about one request that matching needs. */
export interface GrantMatchContext {
  credentials: RequestCredentials;
  /** IRI of the resource the request is about, as CSS identifies it. */
  target: string;
  now: Date;
  /** Root container of the pod the grants were read from. */
  podRoot: string;
  /** When given, grants whose grantor is not one of these WebIDs are ignored. */
  podOwners?: readonly string[];
  /** Pod-relative containers never covered; defaults to DEFAULT_RESERVED_PATHS. */
  reservedPaths?: readonly string[];
  /** Whether the hosting FMP's own identity provider authenticated the request (see `isHostMember`); default false. */
  hostMember?: boolean;
}

/**
 * The permissions the active grants give this request on `target`, following CSS's WAC semantics:
 * - read ← read; append ← append or write; write ← write (as CSS's WebAclReader maps acl:Read/Append/Write);
 * - create ← append (or write) on the parent container, delete ← write on the target and on its parent
 *   (as CSS's ParentContainerReader decides; the pod server does not run that reader for us);
 * - never control, never auxiliary (.acl/.acr/.meta) resources, never outside `podRoot` or inside a reserved path.
 * Only `true` values are returned, because a `false` would veto WAC (and the owner) in CSS's union.
 * Any unexpected input or error yields `{}`: fail closed.
 */
export function permissionsFromGrants(grants: GrantIndex | Iterable<Grant>, context: GrantMatchContext): GrantPermissionSet {
  return matchGrants(grants, context).permissions;
}

/** The permissions, plus the ids of the grants that gave them (for the member's access log). */
export interface GrantMatch {
  permissions: GrantPermissionSet;
  grantIds: string[];
}

/** As {@link permissionsFromGrants}, also naming the grants that contributed. */
export function matchGrants(grants: GrantIndex | Iterable<Grant>, context: GrantMatchContext): GrantMatch {
  try {
    const index = grants instanceof GrantIndex ? grants : new GrantIndex(grants);
    return computePermissions(index, context);
  } catch {
    return NO_MATCH;
  }
}

const NO_MATCH: GrantMatch = Object.freeze({ permissions: {}, grantIds: []});

function computePermissions(index: GrantIndex, context: GrantMatchContext): GrantMatch {
  const podRoot = normaliseHttpIri(context.podRoot);
  const { target } = context;
  if (!podRoot || podRoot !== context.podRoot || !podRoot.endsWith('/') ||
    normaliseHttpIri(target) !== target || hasDotSegment(target)) {
    return NO_MATCH;
  }
  const reserved = (context.reservedPaths ?? DEFAULT_RESERVED_PATHS).map((path): string => new URL(path, podRoot).href);
  const isCoverable = (iri: string): boolean => isWithin(podRoot, iri) && !isAuxiliaryResource(iri) &&
    !reserved.some((container): boolean => isWithin(container, iri));
  if (!isCoverable(target)) {
    return NO_MATCH;
  }
  const audienceReserved = AUDIENCE_RESERVED_PATHS.map((path): string => new URL(path, podRoot).href);
  const grants = index.getCandidates(context.credentials, context.hostMember === true)
    .filter((candidate): boolean => isUsable(candidate, context))
    // A scope entry outside the pod (even an ancestor of it) must never cover anything.
    .map((candidate): IndexedGrant => ({ ...candidate, scope: candidate.scope.filter((entry): boolean => isWithin(podRoot, entry)) }))
    .map((candidate): IndexedGrant => isAudienceGrantee(candidate.grant.grantee) ?
      { ...candidate, scope: candidate.scope.filter((entry): boolean => !touchesAny(entry, audienceReserved)) } :
      candidate);
  if (grants.length === 0) {
    return NO_MATCH;
  }
  const used = new Set<string>();
  const here = getModesAt(grants, target, used);
  const parent = getParentContainer(target);
  const above = parent && isCoverable(parent) ? getModesAt(grants, parent, used) : new Set<GrantMode>();
  const permissions: GrantPermissionSet = {};
  if (here.has('read')) {
    permissions.read = true;
  }
  if (here.has('append') || here.has('write')) {
    permissions.append = true;
  }
  if (here.has('write')) {
    permissions.write = true;
  }
  if (above.has('append') || above.has('write')) {
    permissions.create = true;
  }
  if (here.has('write') && above.has('write')) {
    permissions.delete = true;
  }
  return { permissions, grantIds: Object.keys(permissions).length > 0 ? [ ...used ] : []};
}

// 1. Active and inside its validity window at `now` (validUntil is exclusive).
// 2. Given by a pod owner, when the caller told us who they are.
// 3. Really for these credentials (the index only narrowed by key).
function isUsable(candidate: IndexedGrant, context: GrantMatchContext): boolean {
  const { grant } = candidate;
  const now = context.now.getTime();
  const from = grant.validFrom.getTime();
  const until = grant.validUntil.getTime();
  if (grant.status !== 'active' || !(from <= now && now < until)) {
    return false;
  }
  if (context.podOwners && !context.podOwners.includes(grant.grantor)) {
    return false;
  }
  return isGranteeMatched(grant.grantee, context.credentials, context.hostMember === true);
}

// A scope entry inside a reserved container, or above one (the pod root), is dropped for audience grants.
function touchesAny(entry: string, reserved: readonly string[]): boolean {
  return reserved.some((container): boolean => isWithin(container, entry) || isWithin(entry, container));
}

function getModesAt(grants: IndexedGrant[], iri: string, used: Set<string>): Set<GrantMode> {
  const modes = new Set<GrantMode>();
  for (const { grant, scope, modes: granted } of grants) {
    if (scope.some((entry): boolean => entry === iri || isWithin(entry, iri))) {
      used.add(grant.id);
      granted.forEach((mode): unknown => modes.add(mode));
    }
  }
  return modes;
}
