import assert from 'node:assert/strict';
import { promises as fs } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { decodeJwt, decodeProtectedHeader, SignJWT } from 'jose';
import type { IssuerKeys } from '../../../consent/signing/issuerKeys';
import { loadOrCreateIssuerKeys } from '../../../consent/signing/issuerKeys';
import type { MoveActivity } from '../../../consent/signing/moveActivity';
import { MOVE_SIGNATURE, MoveVerificationError, signMoveActivity, verifyMoveActivity } from '../../../consent/signing/moveActivity';

const OLD_FMP = 'https://old.fmp.example/';
const MOVE = {
  fromWebId: 'https://old.fmp.example/greenacres/profile/card#me',
  toWebId: 'https://new.fmp.example/greenacres/profile/card#me',
  fromPod: 'https://old.fmp.example/greenacres/',
  toPod: 'https://new.fmp.example/greenacres/',
};

async function assertRefused(activity: MoveActivity, keys: IssuerKeys, message: RegExp): Promise<void> {
  await assert.rejects(verifyMoveActivity(activity, keys.publicJwks), (error: unknown): boolean => {
    assert.ok(error instanceof MoveVerificationError, String(error));
    assert.match(error.message, message);
    return true;
  });
}

describe('Signed Move activities', (): void => {
  const folders: string[] = [];
  let keys: IssuerKeys;
  let otherKeys: IssuerKeys;
  let activity: MoveActivity;

  before(async(): Promise<void> => {
    folders.push(await fs.mkdtemp(join(tmpdir(), 'fmp-move-keys-')), await fs.mkdtemp(join(tmpdir(), 'fmp-move-keys-')));
    [ keys, otherKeys ] = await Promise.all(folders.map(async(folder): Promise<IssuerKeys> => loadOrCreateIssuerKeys(folder)));
    activity = await signMoveActivity(MOVE, { issuer: OLD_FMP, privateKey: keys.privateKey, kid: keys.kid });
  });

  after(async(): Promise<void> => {
    await Promise.all(folders.map(async(folder): Promise<void> => fs.rm(folder, { recursive: true, force: true })));
  });

  it('is an ActivityStreams Move from the old WebID to the new, signed with ES256 by the old FMP.', async(): Promise<void> => {
    assert.equal(activity.type, 'Move');
    assert.equal(activity.actor, MOVE.fromWebId);
    assert.equal(activity.object, MOVE.fromWebId);
    assert.equal(activity.target, MOVE.toWebId);
    assert.ok(activity.id.startsWith(`${OLD_FMP}.fmp/moves/`));
    assert.deepEqual(decodeProtectedHeader(activity[MOVE_SIGNATURE]), { alg: 'ES256', kid: keys.kid, typ: 'fmp-move+jwt' });
    assert.equal(decodeJwt(activity[MOVE_SIGNATURE]).iss, OLD_FMP);
    assert.deepEqual(await verifyMoveActivity(activity, keys.publicJwks), MOVE);
  });

  it('still verifies after a round trip through JSON, as an inbox stores it.', async(): Promise<void> => {
    assert.deepEqual(await verifyMoveActivity(JSON.parse(JSON.stringify(activity)) as MoveActivity, keys.publicJwks), MOVE);
  });

  it('refuses an activity altered after signing, field by field.', async(): Promise<void> => {
    await assertRefused({ ...activity, target: 'https://evil.example/me' }, keys, /altered after signing \(target/u);
    await assertRefused({ ...activity, 'fmp:toStorage': 'https://evil.example/' }, keys, /toStorage/u);
    await assertRefused({ ...activity, published: new Date(0).toISOString() }, keys, /published/u);
    await assertRefused({ ...activity, id: `${OLD_FMP}.fmp/moves/other` }, keys, /altered/u);
  });

  it('refuses a signature by another key, and an FMP speaking for a WebID it does not host.', async(): Promise<void> => {
    await assertRefused(activity, otherKeys, /does not verify/u);
    const foreign = await signMoveActivity({ ...MOVE, fromWebId: 'https://elsewhere.example/x/profile/card#me' },
      { issuer: OLD_FMP, privateKey: keys.privateKey, kid: keys.kid });
    await assertRefused(foreign, keys, /does not host/u);
  });

  it('refuses unsigned activities and alg none.', async(): Promise<void> => {
    const { [MOVE_SIGNATURE]: signature, ...unsigned } = activity;
    assert.ok(signature);
    await assertRefused(unsigned as MoveActivity, keys, /Not a signed Move/u);
    const header = Buffer.from(JSON.stringify({ alg: 'none', typ: 'fmp-move+jwt' })).toString('base64url');
    const [ , payload ] = activity[MOVE_SIGNATURE].split('.');
    await assertRefused({ ...activity, [MOVE_SIGNATURE]: `${header}.${payload}.` }, keys, /does not verify/u);
    const wrongType = await new SignJWT(decodeJwt(activity[MOVE_SIGNATURE])).setProtectedHeader({ alg: 'ES256', kid: keys.kid, typ: 'JWT' })
      .sign(keys.privateKey);
    await assertRefused({ ...activity, [MOVE_SIGNATURE]: wrongType }, keys, /does not verify/u);
  });
});
