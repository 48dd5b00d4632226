import { randomUUID } from 'node:crypto';
import type { JSONWebKeySet, JWTPayload, JWTVerifyGetKey } from 'jose';
import { createLocalJWKSet, decodeJwt, jwtVerify, SignJWT } from 'jose';
import { findOutboundRefusal } from '../outbound/OutboundRefusedError';
import { normaliseIssuer } from '../util/iri';
import type { GrantIssuer } from './issueGrantCredential';

/** The JSON-LD context of a Move: ActivityStreams plus the FMP vocabulary for the pods and the signature. */
export const MOVE_CONTEXT = [ 'https://www.w3.org/ns/activitystreams', { fmp: 'https://w3id.org/fmp-vault/ns#' } ];
/** The property holding the FMP's signature (a compact JWS) inside the activity. */
export const MOVE_SIGNATURE = 'fmp:signature';
const MOVE_JWT_TYPE = 'fmp-move+jwt';

/** Where a member moved: old and new WebID and pod. */
export interface MoveDescription {
  fromWebId: string;
  toWebId: string;
  fromPod: string;
  toPod: string;
}

/** An ActivityStreams `Move` (as Mastodon sends for moved accounts), with the pods and the old FMP's signature. */
export interface MoveActivity {
  '@context': typeof MOVE_CONTEXT;
  id: string;
  type: 'Move';
  /** The old WebID: the member moves themselves. */
  actor: string;
  object: string;
  /** The new WebID. */
  target: string;
  'fmp:fromStorage': string;
  'fmp:toStorage': string;
  published: string;
  [MOVE_SIGNATURE]: string;
}

/** Why a Move activity was not accepted. */
export class MoveVerificationError extends Error {
  public constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = new.target.name;
  }
}

/** The fields the signature covers, in a fixed order. */
function signedFields(activity: Omit<MoveActivity, typeof MOVE_SIGNATURE>): Record<string, string> {
  const { id, type, actor, object, target, published } = activity;
  return { id, type, actor, object, target, fromStorage: activity['fmp:fromStorage'], toStorage: activity['fmp:toStorage'], published };
}

/**
 * A signed Move from `move.fromWebId` to `move.toWebId`, issued by the old FMP (whose key also signs its grants).
 * The signature is a JWT (ES256) whose `move` claim repeats the activity's fields, so it travels inside the
 * activity and still verifies after an inbox has stored it.
 */
export async function signMoveActivity(move: MoveDescription, issuer: GrantIssuer, now = new Date()): Promise<MoveActivity> {
  const unsigned = {
    '@context': MOVE_CONTEXT,
    id: `${issuer.issuer}.fmp/moves/${randomUUID()}`,
    type: 'Move' as const,
    actor: move.fromWebId,
    object: move.fromWebId,
    target: move.toWebId,
    'fmp:fromStorage': move.fromPod,
    'fmp:toStorage': move.toPod,
    published: now.toISOString(),
  };
  const signature = await new SignJWT({ move: signedFields(unsigned) })
    .setProtectedHeader({ alg: 'ES256', kid: issuer.kid, typ: MOVE_JWT_TYPE })
    .setIssuer(issuer.issuer)
    .setIssuedAt(Math.floor(now.getTime() / 1000))
    .setJti(unsigned.id)
    .sign(issuer.privateKey);
  return { ...unsigned, [MOVE_SIGNATURE]: signature };
}

/** The FMP that signed a Move (its `iss`), read without verifying: where to fetch the keys from. */
export function getMoveSigner(activity: Pick<MoveActivity, typeof MOVE_SIGNATURE>): string {
  try {
    const { iss } = decodeJwt(activity[MOVE_SIGNATURE]);
    if (typeof iss === 'string') {
      return iss;
    }
  } catch {
    // Reported below.
  }
  throw new MoveVerificationError('The Move carries no readable signature (fmp:signature).');
}

/**
 * Checks a received Move: signed (ES256) by a key in `keys` (the signer's JWKS, from its `/.well-known/fmp`),
 * by the FMP that hosts the old WebID, and saying exactly what the activity says. Returns the move it describes.
 * @throws {@link MoveVerificationError} naming the failed check.
 */
export async function verifyMoveActivity(activity: MoveActivity, keys: JSONWebKeySet | JWTVerifyGetKey): Promise<MoveDescription> {
  if (activity?.type !== 'Move' || typeof activity[MOVE_SIGNATURE] !== 'string') {
    throw new MoveVerificationError('Not a signed Move activity.');
  }
  let payload: JWTPayload;
  try {
    ({ payload } = await jwtVerify(activity[MOVE_SIGNATURE], typeof keys === 'function' ? keys : createLocalJWKSet(keys),
      { algorithms: [ 'ES256' ], typ: MOVE_JWT_TYPE, requiredClaims: [ 'iss', 'iat', 'jti' ]}));
  } catch (error: unknown) {
    throw new MoveVerificationError(`The Move's signature does not verify: ${(error as Error).message}`, { cause: error });
  }
  const issuer = normaliseIssuer(String(payload.iss));
  // Only the FMP that hosts the old WebID may say it moved.
  if (!activity.actor.startsWith(`${issuer}/`) || activity.object !== activity.actor) {
    throw new MoveVerificationError(`The Move was signed by ${issuer}, which does not host ${activity.actor}.`);
  }
  const signed = payload.move as Record<string, string> | undefined;
  const stated = signedFields(activity);
  const differing = Object.keys(stated).filter((key): boolean => signed?.[key] !== stated[key]);
  if (differing.length > 0 || payload.jti !== activity.id) {
    throw new MoveVerificationError(`The Move was altered after signing (${differing.join(', ') || 'id'} differ).`);
  }
  return { fromWebId: activity.actor, toWebId: activity.target, fromPod: activity['fmp:fromStorage'], toPod: activity['fmp:toStorage'] };
}

/**
 * Verifies a received Move against the keys its signer publishes: reads `<signer>/.well-known/fmp` for the JWKS
 * address, fetches the keys, then {@link verifyMoveActivity}.
 */
export async function verifyMoveFromSigner(activity: MoveActivity, fetchFn: typeof fetch = fetch): Promise<MoveDescription> {
  const signer = normaliseIssuer(getMoveSigner(activity));
  let keys: JSONWebKeySet;
  try {
    const identity = await (await fetchFn(`${signer}/.well-known/fmp`, { headers: { accept: 'application/json' }})).json() as { jwks?: string };
    keys = await (await fetchFn(String(identity.jwks), { headers: { accept: 'application/json' }})).json() as JSONWebKeySet;
  } catch (error: unknown) {
    const reason = findOutboundRefusal(error)?.message ?? (error as Error).message;
    throw new MoveVerificationError(`Cannot read the keys of ${signer}: ${reason}`, { cause: error });
  }
  return verifyMoveActivity(activity, keys);
}
