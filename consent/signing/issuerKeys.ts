import { randomUUID } from 'node:crypto';
import { promises as fs } from 'node:fs';
import { join } from 'node:path';
import type { JSONWebKeySet, JWK } from 'jose';
import { calculateJwkThumbprint, exportJWK, generateKeyPair, importJWK } from 'jose';

/** File holding the current private signing key (JWK with `kid`), mode 0600. */
export const PRIVATE_KEY_FILE = 'consent-issuer-key.json';
/** File holding the public keys verifiers may use (current first, then older ones still trusted). */
export const PUBLIC_JWKS_FILE = 'consent-issuer-jwks.json';

/** The consent issuer's keys as the server uses them. */
export interface IssuerKeys {
  privateKey: CryptoKey;
  kid: string;
  /** Publish this at e.g. `/.fmp/jwks`; it never contains private parts. */
  publicJwks: JSONWebKeySet;
}

/** Loads the issuer keys from `folder`, generating an ES256 key pair on first call. */
export async function loadOrCreateIssuerKeys(folder: string): Promise<IssuerKeys> {
  await fs.mkdir(folder, { recursive: true });
  const privateJwk = await readPrivateJwk(folder) ?? await createPrivateJwk(folder);
  return openKeys(folder, privateJwk);
}

/** Makes a new key current and keeps the last `keep` public keys in the JWKS, so older credentials still verify. */
export async function rotateIssuerKeys(folder: string, keep = 3): Promise<IssuerKeys> {
  const privateJwk = await generatePrivateJwk();
  // Publish before use: a crash between the two writes leaves an unused public key, never an unverifiable signer.
  const jwks = await readJwks(folder);
  await writeJson(join(folder, PUBLIC_JWKS_FILE), { keys: [ toPublicJwk(privateJwk), ...jwks.keys ].slice(0, keep) }, 0o644);
  await writeJson(join(folder, PRIVATE_KEY_FILE), privateJwk, 0o600);
  return openKeys(folder, privateJwk);
}

async function openKeys(folder: string, privateJwk: JWK): Promise<IssuerKeys> {
  const jwks = await readJwks(folder);
  // The JWKS is derived data: make sure the current key is in it even after a crash or a concurrent first start.
  if (!jwks.keys.some((key): boolean => key.kid === privateJwk.kid)) {
    jwks.keys.unshift(toPublicJwk(privateJwk));
    await writeJson(join(folder, PUBLIC_JWKS_FILE), jwks, 0o644);
  }
  return {
    privateKey: await importJWK(privateJwk, 'ES256') as CryptoKey,
    kid: privateJwk.kid!,
    publicJwks: { keys: jwks.keys.map(toPublicJwk) },
  };
}

async function readPrivateJwk(folder: string): Promise<JWK | undefined> {
  const path = join(folder, PRIVATE_KEY_FILE);
  let text: string;
  try {
    text = await fs.readFile(path, 'utf8');
  } catch (error: unknown) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') {
      return undefined;
    }
    throw error;
  }
  if (process.platform !== 'win32' && ((await fs.stat(path)).mode & 0o077) !== 0) {
    throw new Error(`${path} is readable by other users; run "chmod 600 ${path}" before starting.`);
  }
  const jwk = JSON.parse(text) as JWK;
  if (jwk.kty !== 'EC' || jwk.crv !== 'P-256' || typeof jwk.d !== 'string' || typeof jwk.kid !== 'string') {
    throw new Error(`${path} does not hold a P-256 private JWK with a kid.`);
  }
  return jwk;
}

// Written under a temporary name and linked into place, so two processes starting at once
// cannot both install a key: the loser adopts the winner's.
async function createPrivateJwk(folder: string): Promise<JWK> {
  const jwk = await generatePrivateJwk();
  const path = join(folder, PRIVATE_KEY_FILE);
  const temporary = `${path}.${randomUUID()}.tmp`;
  await fs.writeFile(temporary, JSON.stringify(jwk, null, 2), { mode: 0o600, flag: 'wx' });
  try {
    await fs.link(temporary, path);
  } catch (error: unknown) {
    if ((error as NodeJS.ErrnoException).code !== 'EEXIST') {
      throw error;
    }
    return (await readPrivateJwk(folder))!;
  } finally {
    await fs.unlink(temporary);
  }
  return jwk;
}

async function generatePrivateJwk(): Promise<JWK> {
  const { privateKey } = await generateKeyPair('ES256', { extractable: true });
  const jwk = await exportJWK(privateKey);
  const kid = await calculateJwkThumbprint(toPublicJwk(jwk));
  return { ...jwk, kid, alg: 'ES256', use: 'sig' };
}

function toPublicJwk(jwk: JWK): JWK {
  const { kty, crv, x, y, kid, alg, use } = jwk;
  return { kty, crv, x, y, ...kid ? { kid } : {}, ...alg ? { alg } : {}, ...use ? { use } : {} };
}

async function readJwks(folder: string): Promise<{ keys: JWK[] }> {
  try {
    const jwks = JSON.parse(await fs.readFile(join(folder, PUBLIC_JWKS_FILE), 'utf8')) as { keys?: JWK[] };
    return { keys: Array.isArray(jwks.keys) ? jwks.keys : [] };
  } catch (error: unknown) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') {
      return { keys: [] };
    }
    throw error;
  }
}

async function writeJson(path: string, value: unknown, mode: number): Promise<void> {
  const temporary = `${path}.${randomUUID()}.tmp`;
  await fs.writeFile(temporary, `${JSON.stringify(value, null, 2)}\n`, { mode, flag: 'wx' });
  await fs.rename(temporary, path);
}
