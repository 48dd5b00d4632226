import { strict as assert } from 'node:assert';
import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Parser } from 'n3';
import type { MoveActivity } from '../../consent';
import { MoveVerificationError, verifyGrantCredential, verifyMoveFromSigner } from '../../consent';
import { getOperatorTokenPath } from '../../pod-server/operator/OperatorFiles';
import { generateDemoFarm, generateProductResources } from '../../shapes/demo/generateDemoFarm';
import type { JSONWebKeySet } from 'jose';
import { findMemberAccount } from '../../src/cli/MemberLogin';
import { ClientCredentialsSession } from '../../src/client/ClientCredentialsSession';
import type { GrantJson } from '../../src/client/ConsentApi';
import { ConsentApi } from '../../src/client/ConsentApi';
import type { FmpClientError } from '../../src/client/FmpClientError';
import { getStateFolder } from '../../src/server/dataFolders';
import { PROJECT_ROOT } from '../../src/server/FmpServer';
import { runPool } from '../bench/benchUtil';
import { runFmp } from '../harness/cli';
import type { TestMember } from '../harness/members';
import { createTestMember, uniqueName } from '../harness/members';
import type { TestServer } from '../harness/servers';
import { getSharedServer, startTestServer } from '../harness/servers';

const TURTLE = 'text/turtle';
const LDP_CONTAINS = 'http://www.w3.org/ns/ldp#contains';

/** Runs `fmp move` in a child process and SIGKILLs it as soon as its stderr matches `killAt`; resolves when it is gone. */
async function runMoveUntilKilled(args: string[], env: Record<string, string>, killAt: RegExp): Promise<{ killed: boolean; stderr: string }> {
  return new Promise((resolve): void => {
    const child = spawn(process.execPath, [ join(PROJECT_ROOT, 'bin', 'fmp.js'), ...args ], { env: { ...process.env, ...env } });
    let stderr = '';
    let killed = false;
    child.stderr.on('data', (chunk: Buffer): void => {
      stderr += chunk.toString();
      if (!killed && killAt.test(stderr)) {
        killed = true;
        child.kill('SIGKILL');
      }
    });
    child.stdout.resume();
    child.once('exit', (): void => resolve({ killed, stderr }));
  });
}

/** The documents under a container, read by `fetchFn`, by path relative to `root`, with their bodies. */
async function readTree(fetchFn: typeof fetch, root: string, container: string): Promise<Map<string, string>> {
  const found = new Map<string, string>();
  const pending = [ container ];
  while (pending.length > 0) {
    const url = pending.pop()!;
    const response = await fetchFn(url, { headers: { accept: TURTLE }});
    assert.equal(response.status, 200, `GET ${url}`);
    const quads = new Parser({ baseIRI: url }).parse(await response.text());
    for (const child of quads.filter((quad): boolean => quad.predicate.value === LDP_CONTAINS)) {
      if (child.object.value.endsWith('/')) {
        pending.push(child.object.value);
      } else {
        found.set(child.object.value.slice(root.length), await (await fetchFn(child.object.value)).text());
      }
    }
  }
  return found;
}

describe('Moving a pod to another FMP', function(this: Mocha.Suite): void {
  this.timeout(300_000);
  let oldFmp: TestServer;
  let newFmp: TestServer;
  let mover: TestMember;
  let app: TestMember;
  let stranger: TestMember;
  let configFolder: string;
  let appGrant: GrantJson;
  let logsGrant: GrantJson;
  let catalogBefore: Map<string, string>;
  const photo = randomBytes(50_000);
  let moveArgs: string[];
  let env: Record<string, string>;

  before(async(): Promise<void> => {
    oldFmp = await getSharedServer();
    newFmp = await startTestServer();
    configFolder = await mkdtemp(join(tmpdir(), 'fmp-move-config-'));
    env = { FMP_CONFIG_DIR: configFolder };
    [ mover, app, stranger ] = await Promise.all([
      createTestMember(oldFmp.baseUrl, uniqueName('mover')),
      createTestMember(oldFmp.baseUrl, uniqueName('foodhub')),
      createTestMember(oldFmp.baseUrl, uniqueName('stranger')),
    ]);
    // The demo farm, a photo and 300 more products: enough that the copy takes a moment, so it can be killed mid-way.
    const resources = [ ...generateDemoFarm(mover.pod), ...generateProductResources(mover.pod, 300) ];
    await runPool(resources, 1, async({ path, turtle }): Promise<void> => {
      const response = await mover.fetch(`${mover.pod}${path}`, { method: 'PUT', headers: { 'content-type': TURTLE }, body: turtle });
      assert.ok(response.ok, `PUT ${path}: ${response.status}`);
    });
    const put = await mover.fetch(`${mover.pod}files/photo.png`, { method: 'PUT', headers: { 'content-type': 'image/png' },
      body: new Uint8Array(photo) });
    assert.ok(put.ok);
    // The food hub's app reads the catalog under a grant for its client id, used by its own WebID.
    appGrant = (await new ConsentApi(oldFmp.baseUrl, mover.name, mover.fetch).createGrant({
      grantee: { clientId: app.clientId, webId: app.webId }, scope: [ 'catalog/' ], modes: [ 'read' ], purpose: 'sell the produce',
      duration: '30d',
    })).grant;
    // And, for a while, the farm logs: the member revokes that grant while the pod is being copied.
    logsGrant = (await new ConsentApi(oldFmp.baseUrl, mover.name, mover.fetch).createGrant({
      grantee: { clientId: app.clientId, webId: app.webId }, scope: [ 'logs/' ], modes: [ 'read' ], purpose: 'audit the logs',
      duration: '30d',
    })).grant;
    assert.equal((await app.fetch(`${mover.pod}logs/`)).status, 200, 'the app reads the logs before the move');
    // The new FMP is a peer of the old one, with read access to the land records.
    const added = await runFmp([ 'peer', 'add', 'fmp-new', '--from', newFmp.baseUrl, '--data', oldFmp.dataFolder ]);
    assert.equal(added.code, 0, added.stderr);
    await new ConsentApi(oldFmp.baseUrl, mover.name, mover.fetch).createGrant({
      grantee: { peer: 'fmp-new' }, scope: [ 'land/' ], modes: [ 'read' ], purpose: 'regional land survey', duration: '7d',
    });
    catalogBefore = await readTree(app.fetch, mover.pod, `${mover.pod}catalog/`);
    assert.ok(catalogBefore.size > 300, 'the app reads the catalog before the move');
    moveArgs = [ 'move', mover.name, '--to', newFmp.baseUrl, '--server', oldFmp.baseUrl, '--email', mover.email,
      '--password', mover.password ];
  });

  after(async(): Promise<void> => {
    await Promise.all([ app.session.logout(), mover.session.logout(), stranger.session.logout() ]);
    await newFmp?.destroy();
    await rm(configFolder, { recursive: true, force: true });
  });

  it('refuses other members and anonymous callers, and a move nobody prepared or whose new home does not claim the pod.',
    async(): Promise<void> => {
      const moveUrl = new URL(`.fmp/move/${mover.name}`, oldFmp.baseUrl).href;
      const body = JSON.stringify({ toWebId: stranger.webId, toPod: stranger.pod });
      const json = { 'content-type': 'application/json' };
      assert.equal((await fetch(moveUrl, { method: 'POST', headers: json, body })).status, 401);
      assert.equal((await stranger.fetch(moveUrl, { method: 'POST', headers: json, body })).status, 403);
      assert.equal((await stranger.fetch(`${moveUrl}/prepare`, { method: 'POST', headers: json, body: '{}' })).status, 403);
      const unprepared = await mover.fetch(moveUrl, { method: 'POST', headers: json, body });
      assert.equal(unprepared.status, 409);
      assert.match(await unprepared.text(), /Prepare the move/u);
      // Prepared: the pod is read-only, but still readable.
      assert.equal((await mover.fetch(`${moveUrl}/prepare`, { method: 'POST', headers: json, body: '{}' })).status, 200);
      const write = await mover.fetch(`${mover.pod}notes/while-moving`, { method: 'PUT', headers: { 'content-type': TURTLE }, body: '<#a> <#b> <#c>.' });
      assert.equal(write.status, 423);
      // So is a restore, which writes the pod from the FMP's side.
      const restore = await mover.fetch(new URL(`.fmp/restore/${mover.name}`, oldFmp.baseUrl), { method: 'POST' });
      assert.equal(restore.status, 423);
      assert.match(await restore.text(), /being moved/u);
      assert.equal((await app.fetch(`${mover.pod}catalog/`)).status, 200);
      // A WebID that does not name the mover cannot take the pod over.
      const hijack = await mover.fetch(moveUrl, { method: 'POST', headers: json, body });
      assert.equal(hijack.status, 409);
      assert.match(await hijack.text(), /does not name/u);
      // Calling the move off makes the pod writable again.
      assert.equal((await mover.fetch(moveUrl, { method: 'DELETE' })).status, 200);
      const after = await mover.fetch(`${mover.pod}notes/after-cancel`, { method: 'PUT', headers: { 'content-type': TURTLE }, body: '<#a> <#b> <#c>.' });
      assert.ok(after.ok, `written after cancelling: ${after.status}`);
    });

  it('the CLI says in one line what is missing or wrong.', async(): Promise<void> => {
    const noTarget = await runFmp([ 'move', mover.name, '--server', oldFmp.baseUrl, '--email', mover.email, '--password', mover.password ], env);
    assert.equal(noTarget.code, 1);
    assert.equal(noTarget.stderr, 'fmp: say where to move with --to <FMP URL>\n');
    const sameServer = await runFmp([ ...moveArgs.slice(0, 2), '--to', oldFmp.baseUrl, ...moveArgs.slice(4) ], env);
    assert.match(sameServer.stderr, /^fmp: the pod is already on .*; --to names another FMP\n$/u);
    const badName = await runFmp([ ...moveArgs, '--to-name', 'Not A Name' ], env);
    assert.match(badName.stderr, /^fmp: "Not A Name" is not a valid member name/u);
    const nothingToCancel = await runFmp([ 'move', mover.name, '--cancel', '--server', oldFmp.baseUrl, '--email', mover.email,
      '--password', mover.password ], env);
    assert.equal(nothingToCancel.code, 1);
    assert.match(nothingToCancel.stderr, /^fmp: the old FMP refused \(404\): .* is not being moved\.\n$/u);
  });

  it('killed while copying, then again once copied, leaves the old pod readable; run again, completes.', async(): Promise<void> => {
    const midCopy = await runMoveUntilKilled(moveArgs, env, /copying: /u);
    assert.ok(midCopy.killed, `the move ended before it could be killed: ${midCopy.stderr}`);
    assert.equal((await app.fetch(`${mover.pod}catalog/`)).status, 200, 'the old pod stays readable');
    const copied = await runMoveUntilKilled(moveArgs, env, /3\/6 copied /u);
    assert.ok(copied.killed, `the move ended before it could be killed: ${copied.stderr}`);
    assert.equal((await app.fetch(`${mover.pod}catalog/`)).status, 200, 'the old pod stays readable');
    // Copied, not yet forwarding: no new grant (it would not follow), but revoking works.
    const oldConsent = new ConsentApi(oldFmp.baseUrl, mover.name, mover.fetch);
    await assert.rejects(oldConsent.createGrant({ grantee: { webId: stranger.webId }, scope: [ 'catalog/' ], modes: [ 'read' ],
      purpose: 'sneak in', duration: '1d' }), (error: FmpClientError): boolean => error.status === 423 && /being moved/u.test(error.message));
    assert.equal((await oldConsent.revokeGrant(logsGrant.id)).state, 'revoked');
    assert.equal((await app.fetch(`${mover.pod}logs/`)).status, 403, 'revoked at once');
    const rerun = await runFmp([ ...moveArgs, '--json' ], env);
    assert.equal(rerun.code, 0, rerun.stderr);
    const report = JSON.parse(rerun.stdout) as { to: { pod: string; webId: string }; resources: number; createdTarget: boolean;
      grants: GrantJson[]; revokedAtTarget: string[]; notified: { grantee: string; result: string }[] };
    assert.equal(report.to.pod, new URL(`${mover.name}/`, newFmp.baseUrl).href);
    // The copy was made before the revocation: the rerun revokes it at the new FMP too.
    assert.deepEqual(report.revokedAtTarget.map((id): string => id.split('/').pop()!), [ logsGrant.id.split('/').pop() ]);
    // A third run finds everything done, copies nothing and tells nobody twice.
    const third = await runFmp([ ...moveArgs, '--json' ], env);
    assert.equal(third.code, 0, third.stderr);
    const again = JSON.parse(third.stdout) as { copied: string; notified: { result: string }[] };
    assert.equal(again.copied, 'earlier');
    assert.ok(again.notified.every((sent): boolean => sent.result !== 'delivered'), third.stdout);
  });

  it('the app with a read grant reads the catalog at the new FMP through the old URLs, without the member doing anything.',
    async(): Promise<void> => {
      const newPod = new URL(`${mover.name}/`, newFmp.baseUrl).href;
      const product = [ ...catalogBefore.keys() ][0];
      const response = await app.fetch(`${mover.pod}${product}`);
      assert.equal(response.status, 200);
      assert.equal(response.url, `${newPod}${product}`, 'answered by the new FMP');
      const catalogAfter = await readTree(app.fetch, newPod, `${newPod}catalog/`);
      assert.deepEqual([ ...catalogAfter.keys() ].sort(), [ ...catalogBefore.keys() ].sort(), 'no product lost or added');
      // The grant still covers only the catalog; the one revoked during the copy stays revoked.
      assert.equal((await app.fetch(`${newPod}land/`)).status, 403);
      assert.equal((await app.fetch(`${newPod}logs/`)).status, 403);
      assert.equal((await app.fetch(`${mover.pod}logs/`, { redirect: 'manual' })).status, 308);
      assert.equal((await stranger.fetch(`${newPod}catalog/`)).status, 403);
    });

  it('every old URL answers 308 to the new one; the profiles point at each other.', async(): Promise<void> => {
    const newPod = new URL(`${mover.name}/`, newFmp.baseUrl).href;
    for (const path of [ 'catalog/', 'land/', 'files/photo.png', 'no/such/thing?x=1', '' ]) {
      const response = await fetch(`${mover.pod}${path}`, { redirect: 'manual' });
      assert.equal(response.status, 308, path);
      assert.equal(response.headers.get('location'), `${newPod}${path}`);
    }
    const put = await fetch(`${mover.pod}catalog/new`, { method: 'PUT', redirect: 'manual', body: 'x' });
    assert.equal(put.status, 308, 'writes are forwarded too (308 keeps the method)');
    const oldProfile = await (await fetch(mover.webId, { headers: { accept: TURTLE }})).text();
    const newWebId = `${newPod}profile/card#me`;
    assert.match(oldProfile, new RegExp(`movedTo> <${newWebId}>|as:movedTo <${newWebId}>`, 'u'));
    const newProfile = await (await fetch(newWebId, { headers: { accept: TURTLE }})).text();
    assert.ok(newProfile.includes(mover.webId), 'the new profile names the old WebID');
    assert.match(newProfile, /alsoKnownAs|sameAs/u);
  });

  it('at the new FMP the member finds their data, and the grants re-issued: same grantees, scopes and expiry.', async(): Promise<void> => {
    const newPod = new URL(`${mover.name}/`, newFmp.baseUrl).href;
    // The member logs in at the new FMP with the same e-mail and password.
    const { account, webId } = await findMemberAccount(newFmp.baseUrl, mover.name, mover.email, mover.password);
    const credential = await account.createClientCredentials('move-test', webId);
    const session = new ClientCredentialsSession({ clientId: credential.id, clientSecret: credential.secret, issuer: newFmp.baseUrl });
    try {
      const photoAfter = Buffer.from(await (await session.fetch(`${newPod}files/photo.png`)).arrayBuffer());
      assert.ok(photoAfter.equals(photo), 'binaries arrive byte for byte');
      const consent = new ConsentApi(newFmp.baseUrl, mover.name, session.fetch);
      const moved = (await consent.listGrants('active')).find((grant): boolean => grant.grantee.clientId === app.clientId)!;
      assert.ok(moved, 'the app grant is active at the new FMP');
      assert.deepEqual(moved.scope, [ `${newPod}catalog/` ]);
      assert.deepEqual(moved.modes, appGrant.modes);
      assert.equal(moved.grantee.webId, app.webId);
      assert.equal(moved.validUntil, appGrant.validUntil);
      assert.equal(moved.grantor, webId);
      const revoked = (await consent.listGrants()).find((grant): boolean => grant.id.split('/').pop() === logsGrant.id.split('/').pop());
      assert.equal(revoked?.state, 'revoked', 'the grant revoked during the copy is revoked at the new FMP');
      // The old FMP's consent API no longer speaks for the pod.
      const oldGrants = await mover.fetch(new URL(`.fmp/consent/${mover.name}/grants`, oldFmp.baseUrl));
      assert.equal(oldGrants.status, 409);
      assert.match(await oldGrants.text(), new RegExp(`moved to ${newPod}`, 'u'));
      assert.equal((await mover.fetch(new URL(`.fmp/restore/${mover.name}`, oldFmp.baseUrl), { method: 'POST' })).status, 409);
      // Its credential is signed by the new FMP and verifies against the keys it publishes.
      const detail = await session.fetch(new URL(`.fmp/consent/${mover.name}/grants/${moved.id.split('/').pop()}`, newFmp.baseUrl));
      const { credential: jwt } = await detail.json() as { credential: string };
      const jwks = await (await fetch(new URL('.fmp/jwks', newFmp.baseUrl))).json() as JSONWebKeySet;
      const verified = await verifyGrantCredential(jwt, jwks, { now: new Date(), expectedIssuer: newFmp.baseUrl });
      assert.deepEqual(verified.grant.scope, [ `${newPod}catalog/` ]);
    } finally {
      await session.logout();
    }
  });

  it('the app and the peer FMP got a signed Move that verifies, and a forged one does not.', async(): Promise<void> => {
    const newPod = new URL(`${mover.name}/`, newFmp.baseUrl).href;
    const inbox = await readTree(app.fetch, app.pod, `${app.pod}inbox/`);
    const moves = [ ...inbox.values() ].map((text): MoveActivity => JSON.parse(text) as MoveActivity)
      .filter((activity): boolean => activity.type === 'Move');
    assert.equal(moves.length, 1, 'delivered once, although the move ran three times');
    const move = await verifyMoveFromSigner(moves[0]);
    assert.deepEqual(move, { fromWebId: mover.webId, toWebId: `${newPod}profile/card#me`, fromPod: mover.pod, toPod: newPod });
    await assert.rejects(verifyMoveFromSigner({ ...moves[0], target: stranger.webId }), MoveVerificationError);
    // The peer FMP's inbox has it too.
    const token = await readFile(getOperatorTokenPath(getStateFolder(newFmp.dataFolder)), 'utf8');
    const read = await fetch(new URL('.fmp/inbox', newFmp.baseUrl), { headers: { authorization: `Bearer ${token}` }});
    const { messages } = await read.json() as { messages: { activity: MoveActivity }[] };
    assert.ok(messages.some((message): boolean => message.activity.type === 'Move' && message.activity.id === moves[0].id));
    // The FMP inbox keeps only Moves that verify.
    const forged = await fetch(new URL('.fmp/inbox', newFmp.baseUrl), { method: 'POST', headers: { 'content-type': 'application/ld+json' },
      body: JSON.stringify({ ...moves[0], target: stranger.webId }) });
    assert.equal(forged.status, 400);
    assert.match(await forged.text(), /altered after signing/u);
  });
});
