import assert from 'node:assert/strict';
import { promises as fs } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { generateKeyPair, SignJWT } from 'jose';
import type { GrantCredentialFailure } from '../../../consent/signing/errors';
import { GrantCredentialError } from '../../../consent/signing/errors';
import { grantToCredentialClaims } from '../../../consent/signing/grantCredentialClaims';
import { issueGrantCredential } from '../../../consent/signing/issueGrantCredential';
import type { IssuerKeys } from '../../../consent/signing/issuerKeys';
import { loadOrCreateIssuerKeys, PRIVATE_KEY_FILE, PUBLIC_JWKS_FILE, rotateIssuerKeys } from '../../../consent/signing/issuerKeys';
import { verifyGrantCredential } from '../../../consent/signing/verifyGrantCredential';
import { BOB, DAY, makeGrant, NOW } from './fixtures';

const ISSUER = 'https://fmp.example/';

async function assertRejected(promise: Promise<unknown>, reason: GrantCredentialFailure): Promise<void> {
  await assert.rejects(promise, (error: unknown): boolean => {
    assert.ok(error instanceof GrantCredentialError, String(error));
    assert.equal(error.reason, reason, error.message);
    return true;
  });
}

function flipCharacter(text: string, index: number): string {
  return `${text.slice(0, index)}${text[index] === 'A' ? 'B' : 'A'}${text.slice(index + 1)}`;
}

describe('Signed grants', (): void => {
  let folder: string;
  let keys: IssuerKeys;
  const grant = makeGrant({ validUntil: new Date(NOW.getTime() + 10 * DAY) });
  const options = { now: new Date(NOW.getTime() + DAY), expectedIssuer: ISSUER };

  before(async(): Promise<void> => {
    folder = await fs.mkdtemp(join(tmpdir(), 'fmp-consent-keys-'));
    keys = await loadOrCreateIssuerKeys(folder);
  });

  after(async(): Promise<void> => {
    await fs.rm(folder, { recursive: true, force: true });
  });

  describe('issuer keys', (): void => {
    it('stores the private key with mode 0600 and publishes only public parts.', async(): Promise<void> => {
      const stat = await fs.stat(join(folder, PRIVATE_KEY_FILE));
      assert.equal(stat.mode & 0o777, 0o600);
      assert.equal(keys.publicJwks.keys.length, 1);
      assert.equal(keys.publicJwks.keys[0].kid, keys.kid);
      assert.equal(keys.publicJwks.keys[0].d, undefined);
      const stored = JSON.parse(await fs.readFile(join(folder, PUBLIC_JWKS_FILE), 'utf8')) as { keys: { d?: string }[] };
      assert.ok(stored.keys.every((key): boolean => key.d === undefined));
    });

    it('loads the same key on the next start.', async(): Promise<void> => {
      const again = await loadOrCreateIssuerKeys(folder);
      assert.equal(again.kid, keys.kid);
    });

    it('agrees on one key when two starts race.', async(): Promise<void> => {
      const raceFolder = join(folder, 'race');
      const [ first, second ] = await Promise.all([ loadOrCreateIssuerKeys(raceFolder), loadOrCreateIssuerKeys(raceFolder) ]);
      assert.equal(first.kid, second.kid);
    });

    it('refuses a private key file others can read.', async(): Promise<void> => {
      const leaky = join(folder, 'leaky');
      await loadOrCreateIssuerKeys(leaky);
      await fs.chmod(join(leaky, PRIVATE_KEY_FILE), 0o644);
      await assert.rejects(loadOrCreateIssuerKeys(leaky), /chmod 600/u);
    });

    it('keeps old public keys after rotation, so older credentials still verify.', async(): Promise<void> => {
      const rotating = join(folder, 'rotating');
      const oldKeys = await loadOrCreateIssuerKeys(rotating);
      const oldJwt = await issueGrantCredential(grant, { issuer: ISSUER, ...oldKeys });
      const newKeys = await rotateIssuerKeys(rotating);
      assert.notEqual(newKeys.kid, oldKeys.kid);
      assert.deepEqual(newKeys.publicJwks.keys.map((key): unknown => key.kid), [ newKeys.kid, oldKeys.kid ]);
      assert.equal((await loadOrCreateIssuerKeys(rotating)).kid, newKeys.kid);
      const newJwt = await issueGrantCredential(grant, { issuer: ISSUER, ...newKeys });
      for (const jwt of [ oldJwt, newJwt ]) {
        assert.equal((await verifyGrantCredential(jwt, newKeys.publicJwks, options)).grant.id, grant.id);
      }
    });
  });

  describe('VC-JWT', (): void => {
    it('carries the grant in VC-JWT claims and verifies back to the same grant.', async(): Promise<void> => {
      const claims = grantToCredentialClaims(grant, ISSUER);
      assert.equal(claims.sub, BOB);
      assert.equal(claims.jti, grant.id);
      assert.equal(claims.nbf, NOW.getTime() / 1_000);
      assert.equal(claims.exp, grant.validUntil.getTime() / 1_000);
      assert.deepEqual(claims.vc.type, [ 'VerifiableCredential', 'SolidAccessGrant' ]);
      assert.equal(claims.vc.credentialSubject.id, BOB);
      const jwt = await issueGrantCredential(grant, { issuer: ISSUER, ...keys });
      const verified = await verifyGrantCredential(jwt, keys.publicJwks, { ...options, expectedIssuer: 'https://fmp.example' });
      assert.deepEqual(verified.grant, grant);
    });

    it('round-trips app and peer grantees.', async(): Promise<void> => {
      for (const grantee of [ { kind: 'app', clientId: 'market_5f2c', webId: BOB },
        { kind: 'peer', issuer: 'https://north.example', peerName: 'north' } ] as const) {
        const other = makeGrant({ grantee });
        const jwt = await issueGrantCredential(other, { issuer: ISSUER, ...keys });
        assert.deepEqual((await verifyGrantCredential(jwt, keys.publicJwks, options)).grant, other);
      }
    });

    it('rejects a tampered payload or signature.', async(): Promise<void> => {
      const jwt = await issueGrantCredential(grant, { issuer: ISSUER, ...keys });
      const [ header, payload, signature ] = jwt.split('.');
      const claims = JSON.parse(Buffer.from(payload, 'base64url').toString('utf8')) as { vc: { credentialSubject: { hasConsent: { mode: string[] } } } };
      claims.vc.credentialSubject.hasConsent.mode = [ 'Read', 'Write' ];
      const widened = Buffer.from(JSON.stringify(claims)).toString('base64url');
      await assertRejected(verifyGrantCredential(`${header}.${widened}.${signature}`, keys.publicJwks, options), 'bad-signature');
      await assertRejected(verifyGrantCredential(`${header}.${payload}.${flipCharacter(signature, 10)}`, keys.publicJwks, options),
        'bad-signature');
    });

    it('rejects a credential forged with another key under our kid, or signed by a foreign key.', async(): Promise<void> => {
      const { privateKey } = await generateKeyPair('ES256');
      const forged = await issueGrantCredential(grant, { issuer: ISSUER, privateKey, kid: keys.kid });
      await assertRejected(verifyGrantCredential(forged, keys.publicJwks, options), 'bad-signature');
      const foreign = await issueGrantCredential(grant, { issuer: ISSUER, privateKey, kid: 'someone-else' });
      await assertRejected(verifyGrantCredential(foreign, keys.publicJwks, options), 'unknown-key');
    });

    it('rejects unsigned and HMAC tokens.', async(): Promise<void> => {
      const claims = grantToCredentialClaims(grant, ISSUER);
      const none = `${Buffer.from(JSON.stringify({ alg: 'none', kid: keys.kid })).toString('base64url')}.${
        Buffer.from(JSON.stringify(claims)).toString('base64url')}.`;
      await assertRejected(verifyGrantCredential(none, keys.publicJwks, options), 'bad-signature');
      const hmac = await new SignJWT({ ...claims }).setProtectedHeader({ alg: 'HS256', kid: keys.kid })
        .sign(new TextEncoder().encode('x'.repeat(32)));
      await assertRejected(verifyGrantCredential(hmac, keys.publicJwks, options), 'bad-signature');
    });

    it('rejects another issuer, expired and not-yet-valid credentials, and garbage.', async(): Promise<void> => {
      const jwt = await issueGrantCredential(grant, { issuer: ISSUER, ...keys });
      await assertRejected(verifyGrantCredential(jwt, keys.publicJwks, { ...options, expectedIssuer: 'https://evil.example/' }),
        'wrong-issuer');
      await assertRejected(verifyGrantCredential(jwt, keys.publicJwks, { ...options, now: grant.validUntil }), 'expired');
      await assertRejected(verifyGrantCredential(jwt, keys.publicJwks, { ...options, now: new Date(NOW.getTime() - 1_000) }),
        'not-yet-valid');
      await assertRejected(verifyGrantCredential('not.a.jwt', keys.publicJwks, options), 'malformed');
      await assertRejected(verifyGrantCredential('', keys.publicJwks, options), 'malformed');
    });

    it('rejects a correctly signed token that does not describe a grant.', async(): Promise<void> => {
      const claims = grantToCredentialClaims(grant, ISSUER);
      const wrongSubject = await new SignJWT({ ...claims, sub: 'https://evil.example/#me' })
        .setProtectedHeader({ alg: 'ES256', kid: keys.kid }).sign(keys.privateKey);
      await assertRejected(verifyGrantCredential(wrongSubject, keys.publicJwks, options), 'invalid-claims');
      const control = structuredClone(claims);
      control.vc.credentialSubject.hasConsent.mode = [ 'Control' ];
      const withControl = await new SignJWT({ ...control }).setProtectedHeader({ alg: 'ES256', kid: keys.kid }).sign(keys.privateKey);
      await assertRejected(verifyGrantCredential(withControl, keys.publicJwks, options), 'invalid-claims');
    });
  });
});
