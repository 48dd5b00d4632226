import { randomBytes } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { Mutex } from '../../bridges/runtime/Mutex';
import { writeFileAtomically } from '../../consent/util/writeFileAtomically';
import { AccountApi } from '../client/AccountApi';

/** A bridge's own account on the FMP: its WebID, and the client credentials it logs in with. */
export interface BridgeIdentity {
  readonly webId: string;
  readonly pod: string;
  readonly clientId: string;
  readonly clientSecret: string;
}

/**
 * The bridge's identity for `target`, created on the FMP at first start (an account, a pod and client credentials,
 * like any member's) and kept in `<bridges folder>/<target>/identity.json`, mode 0600, out of HTTP's reach. With a
 * mutex across processes (Redis), workers started together on one data folder make one identity, not one each.
 */
export async function loadOrCreateBridgeIdentity(folder: string, target: string, server: string, mutex?: Mutex):
Promise<BridgeIdentity> {
  const file = join(folder, target, 'identity.json');
  const stored = await readIdentity(file);
  if (stored) {
    return stored;
  }
  return mutex ?
    mutex.withLock(`identity:${target}`, async(): Promise<BridgeIdentity> => await readIdentity(file) ?? createIdentity(file, target, server)) :
    createIdentity(file, target, server);
}

async function readIdentity(file: string): Promise<BridgeIdentity | undefined> {
  try {
    return JSON.parse(await readFile(file, 'utf8')) as BridgeIdentity;
  } catch (error: unknown) {
    if ((error as NodeJS.ErrnoException).code !== 'ENOENT') {
      throw error;
    }
  }
}

async function createIdentity(file: string, target: string, server: string): Promise<BridgeIdentity> {
  const account = new AccountApi(server);
  await account.createAccount();
  const suffix = randomBytes(3).toString('hex');
  await account.addPasswordLogin(`${target}-bridge-${suffix}@bridges.fmp.invalid`, randomBytes(24).toString('base64url'));
  // A name of its own: a member who signed up as `bridge-shopify` first gets no say over the real bridge.
  const { pod, webId } = await account.createPod(`bridge-${target}-${suffix}`);
  const credentials = await account.createClientCredentials(`${target} bridge`, webId);
  const identity: BridgeIdentity = { webId, pod, clientId: credentials.id, clientSecret: credentials.secret };
  await writeFileAtomically(file, `${JSON.stringify(identity, null, 2)}\n`, 0o600);
  return identity;
}
