import { strict as assert } from 'node:assert';
import type { JSONWebKeySet } from 'jose';
import { readFile } from 'node:fs/promises';
import { verifyGrantCredential } from '../../consent';
import { getOperatorTokenPath } from '../../pod-server/operator/OperatorFiles';
import { getStateFolder } from '../../src/server/dataFolders';
import type { GrantJson } from '../../src/client/ConsentApi';
import { ConsentApi } from '../../src/client/ConsentApi';
import { runFmp } from '../harness/cli';
import type { TestMember } from '../harness/members';
import { createTestMember, uniqueName } from '../harness/members';
import type { TestServer } from '../harness/servers';
import { getSharedServer } from '../harness/servers';

const TURTLE = { 'content-type': 'text/turtle' };

describe('The consent API, CLI and audit', (): void => {
  let server: TestServer;
  let owner: TestMember;
  let grantee: TestMember;
  let stranger: TestMember;
  let consent: ConsentApi;

  function fmp(...args: string[]): ReturnType<typeof runFmp> {
    return runFmp([ ...args, '--server', server.baseUrl ], { FMP_EMAIL: owner.email, FMP_PASSWORD: owner.password });
  }

  before(async(): Promise<void> => {
    server = await getSharedServer();
    [ owner, grantee, stranger ] = await Promise.all([
      createTestMember(server.baseUrl, uniqueName('grantor')),
      createTestMember(server.baseUrl, uniqueName('grantee')),
      createTestMember(server.baseUrl, uniqueName('stranger')),
    ]);
    consent = new ConsentApi(server.baseUrl, owner.name, owner.fetch);
    const put = await owner.fetch(`${owner.pod}shared/notes`, { method: 'PUT', headers: TURTLE, body: '<#n> <http://schema.org/text> "hello".' });
    assert.ok(put.ok);
  });

  describe('signed grants', (): void => {
    let created: { grant: GrantJson; credential: string };
    let jwks: JSONWebKeySet;

    before(async(): Promise<void> => {
      created = await consent.createGrant({ grantee: { webId: grantee.webId }, scope: [ 'shared/' ], modes: [ 'read' ], purpose: 'reading', duration: '1h' });
      jwks = await (await fetch(new URL('.fmp/jwks', server.baseUrl))).json() as JSONWebKeySet;
    });

    it('verify against the JWKS the FMP publishes, without calling back.', async(): Promise<void> => {
      const identity = await (await fetch(new URL('.well-known/fmp', server.baseUrl))).json() as { issuer: string; jwks: string };
      assert.equal(identity.issuer, server.baseUrl);
      assert.equal(identity.jwks, new URL('.fmp/jwks', server.baseUrl).href);
      const verified = await verifyGrantCredential(created.credential, jwks, { now: new Date(), expectedIssuer: server.baseUrl });
      assert.equal(verified.grant.id, created.grant.id);
      assert.deepEqual(verified.grant.scope, [ `${owner.pod}shared/` ]);
      assert.equal(verified.claims.sub, grantee.webId);
    });

    it('are refused when tampered with, or checked against another issuer.', async(): Promise<void> => {
      const [ header, payload, signature ] = created.credential.split('.');
      const claims = JSON.parse(Buffer.from(payload, 'base64url').toString()) as { vc: { credentialSubject: { id: string } } };
      claims.vc.credentialSubject.id = stranger.webId;
      const tampered = `${header}.${Buffer.from(JSON.stringify(claims)).toString('base64url')}.${signature}`;
      await assert.rejects(verifyGrantCredential(tampered, jwks, { now: new Date(), expectedIssuer: server.baseUrl }),
        { reason: 'bad-signature' });
      await assert.rejects(verifyGrantCredential(created.credential, jwks, { now: new Date(), expectedIssuer: 'https://other.example/' }),
        { reason: 'wrong-issuer' });
      await assert.rejects(verifyGrantCredential(created.credential, jwks, { now: new Date(Date.now() + 2 * 3_600_000), expectedIssuer: server.baseUrl }),
        { reason: 'expired' });
    });
  });

  describe('grant resources', (): void => {
    it('can be read only by the owner, and written by nobody else, even with a whole-pod write grant.', async(): Promise<void> => {
      const { grant } = await consent.createGrant({ grantee: { webId: grantee.webId }, scope: [ '' ], modes: [ 'read', 'write' ], purpose: 'all', duration: '1h' });
      assert.equal((await owner.fetch(grant.id)).status, 200);
      for (const who of [ grantee, stranger ]) {
        assert.equal((await who.fetch(grant.id)).status, 403);
        assert.equal((await who.fetch(`${owner.pod}consent/`)).status, 403);
        const rewrite = await who.fetch(grant.id, { method: 'PUT', headers: TURTLE, body: '<#x> <#y> <#z>.' });
        assert.equal(rewrite.status, 403);
        const forged = await who.fetch(`${owner.pod}consent/forged`, { method: 'PUT', headers: TURTLE, body: '<#x> <#y> <#z>.' });
        assert.equal(forged.status, 403);
        assert.equal((await who.fetch(grant.id, { method: 'DELETE' })).status, 403);
      }
      assert.equal((await fetch(grant.id)).status, 401);
      await consent.revokeGrant(grant.id);
    });

    it('a grant scope outside the grantor\'s pod is refused.', async(): Promise<void> => {
      await assert.rejects(consent.createGrant({ grantee: { webId: grantee.webId }, scope: [ `${stranger.pod}shared/` ], modes: [ 'read' ],
        purpose: 'x', duration: '1h' }), { status: 400 });
      await assert.rejects(consent.createGrant({ grantee: { webId: grantee.webId }, scope: [ 'shared/' ], modes: [ 'control' ],
        purpose: 'x', duration: '1h' }), { status: 400 });
    });

    it('only the owner may use the consent API of a pod.', async(): Promise<void> => {
      const asStranger = new ConsentApi(server.baseUrl, owner.name, stranger.fetch);
      await assert.rejects(asStranger.listGrants(), { status: 403 });
      await assert.rejects(asStranger.createGrant({ grantee: { webId: stranger.webId }, scope: [ '' ], modes: [ 'read' ], purpose: 'x', duration: '1h' }),
        { status: 403 });
      await assert.rejects(new ConsentApi(server.baseUrl, owner.name, fetch).listGrants(), { status: 401 });
      await assert.rejects(new ConsentApi(server.baseUrl, owner.name, grantee.fetch).readAudit(), { status: 403 });
    });
  });

  describe('the fmp CLI', (): void => {
    it('creates, lists and revokes a grant, which works at once and stops at once.', async(): Promise<void> => {
      const created = await fmp('grant', 'create', owner.name, '--to', grantee.webId, '--scope', 'shared/', '--modes', 'read',
        '--for', '2h', '--purpose', 'weekly box', '--json');
      assert.equal(created.code, 0, created.stderr);
      const { grant } = JSON.parse(created.stdout) as { grant: GrantJson };
      assert.equal((await grantee.fetch(`${owner.pod}shared/notes`)).status, 200);

      const listed = await fmp('grant', 'list', owner.name, '--state', 'active');
      assert.equal(listed.code, 0, listed.stderr);
      assert.match(listed.stdout, /^ID +STATE +GRANTEE +MODES +SCOPE +UNTIL/u);
      assert.ok(listed.stdout.includes(grant.id.split('/').pop()!));

      const revoked = await fmp('grant', 'revoke', owner.name, grant.id.split('/').pop()!);
      assert.equal(revoked.code, 0, revoked.stderr);
      assert.match(revoked.stdout, /^Revoked grant /u);
      // Other grants of this suite gave no access to shared/notes for this grantee any more.
      for (const other of await consent.listGrants('active')) {
        if (other.grantee.webId === grantee.webId) {
          await consent.revokeGrant(other.id);
        }
      }
      assert.equal((await grantee.fetch(`${owner.pod}shared/notes`)).status, 403);
      const json = await fmp('grant', 'list', owner.name, '--json', '--state', 'revoked');
      assert.ok((JSON.parse(json.stdout) as GrantJson[]).some((entry): boolean => entry.id === grant.id));
    });

    it('refuses a duration past the maximum, naming it, and other bad input with one line each.', async(): Promise<void> => {
      const tooLong = await fmp('grant', 'create', owner.name, '--to', grantee.webId, '--scope', 'shared/', '--modes', 'read',
        '--for', '120d', '--purpose', 'x');
      assert.equal(tooLong.code, 1);
      assert.equal(tooLong.stderr.trim(), 'fmp: A grant may last at most 90d on this FMP; shorten it.');
      const badDuration = await fmp('grant', 'create', owner.name, '--to', grantee.webId, '--scope', 'shared/', '--modes', 'read',
        '--for', 'a while', '--purpose', 'x');
      assert.equal(badDuration.code, 1);
      assert.match(badDuration.stderr, /^fmp: .*duration/iu);
      const noGrantee = await fmp('grant', 'create', owner.name, '--scope', 'shared/', '--modes', 'read', '--for', '1h', '--purpose', 'x');
      assert.equal(noGrantee.code, 1);
      assert.match(noGrantee.stderr, /^fmp: name exactly one grantee/u);
      const unknownPeer = await fmp('grant', 'create', owner.name, '--peer', 'nowhere', '--scope', 'shared/', '--modes', 'read',
        '--for', '1h', '--purpose', 'x');
      assert.equal(unknownPeer.code, 1);
      assert.match(unknownPeer.stderr, /^fmp: nowhere is not a listed peer FMP/u);
      const badMode = await fmp('grant', 'create', owner.name, '--to', grantee.webId, '--scope', 'shared/', '--modes', 'control',
        '--for', '1h', '--purpose', 'x');
      assert.equal(badMode.code, 1);
      assert.equal(badMode.stderr.split('\n').length, 2, 'one line');
    });
  });

  describe('access requests', (): void => {
    async function postRequest(duration: string, scope: string): Promise<string> {
      const body = `
        @prefix gc: <https://w3id.org/GConsent#>. @prefix acl: <http://www.w3.org/ns/auth/acl#>.
        @prefix dcterms: <http://purl.org/dc/terms/>. @prefix time: <http://www.w3.org/2006/time#>.
        @prefix xsd: <http://www.w3.org/2001/XMLSchema#>. @prefix fmp: <https://w3id.org/fmp-vault/ns#>.
        <> a gc:Consent, fmp:AccessRequest;
          gc:hasStatus gc:ConsentStatusRequested;
          gc:isConsentForDataSubject <${owner.webId}>;
          gc:isProvidedTo <${grantee.webId}>;
          gc:forPersonalData <${owner.pod}${scope}>;
          acl:mode acl:Read;
          dcterms:description "Show your notes in the co-op newsletter";
          time:hasXSDDuration "${duration}"^^xsd:duration;
          dcterms:created "${new Date().toISOString()}"^^xsd:dateTime.`;
      const response = await grantee.fetch(`${owner.pod}inbox/`, { method: 'POST', headers: TURTLE, body });
      assert.equal(response.status, 201, await response.text());
      return response.headers.get('location')!;
    }

    it('an app asks through the inbox; the member lists, approves for less time, or denies.', async(): Promise<void> => {
      const wanted = await postRequest('P30D', 'shared/');
      const unwanted = await postRequest('P1D', 'shared/');
      const listed = await fmp('requests', 'list', owner.name, '--json');
      assert.equal(listed.code, 0, listed.stderr);
      const pending = JSON.parse(listed.stdout) as { id: string; duration: string; purpose: { text: string } }[];
      assert.deepEqual(pending.map((request): string => request.id).sort(), [ wanted, unwanted ].sort());
      assert.equal(pending.find((request): boolean => request.id === wanted)!.purpose.text, 'Show your notes in the co-op newsletter');

      const approved = await fmp('requests', 'approve', owner.name, wanted.split('/').pop()!, '--for', '2h', '--json');
      assert.equal(approved.code, 0, approved.stderr);
      const { grant } = JSON.parse(approved.stdout) as { grant: GrantJson };
      const lasts = Date.parse(grant.validUntil) - Date.parse(grant.validFrom);
      assert.equal(lasts, 2 * 3_600_000, 'the member shortened it to 2 hours');
      assert.equal((await grantee.fetch(`${owner.pod}shared/notes`)).status, 200);

      const denied = await fmp('requests', 'deny', owner.name, unwanted.split('/').pop()!);
      assert.equal(denied.code, 0, denied.stderr);
      const stillPending = JSON.parse((await fmp('requests', 'list', owner.name, '--json')).stdout) as unknown[];
      assert.equal(stillPending.length, 0);
      const longer = await fmp('requests', 'approve', owner.name, unwanted.split('/').pop()!);
      assert.equal(longer.code, 1, 'a denied request cannot be approved later');
      await consent.revokeGrant(grant.id);
    });
  });

  describe('the FMP\'s federation identity', (): void => {
    it('names an inbox where peers deliver activities, which only the operator reads.', async(): Promise<void> => {
      const identity = await (await fetch(new URL('.well-known/fmp', server.baseUrl))).json() as { inbox: string; peers: string };
      const activity = { '@context': 'https://www.w3.org/ns/activitystreams', type: 'Announce', actor: stranger.webId };
      const delivered = await fetch(identity.inbox, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(activity) });
      assert.equal(delivered.status, 202);
      const notActivity = await fetch(identity.inbox, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '[1, 2]' });
      assert.equal(notActivity.status, 400);
      assert.equal((await fetch(identity.inbox)).status, 401);
      assert.equal((await owner.fetch(identity.inbox)).status, 401, 'members do not read the FMP inbox');
      const token = await readFile(getOperatorTokenPath(getStateFolder(server.dataFolder)), 'utf8');
      const read = await fetch(identity.inbox, { headers: { authorization: `Bearer ${token}` } });
      const { messages } = await read.json() as { messages: { activity: { actor: string } }[] };
      assert.ok(messages.some((message): boolean => message.activity.actor === stranger.webId));
      assert.equal((await fetch(identity.peers)).status, 200);
    });
  });

  describe('the audit log', (): void => {
    it('records each request a grant allowed, readable by the owner only.', async(): Promise<void> => {
      const { grant } = await consent.createGrant({ grantee: { webId: stranger.webId }, scope: [ 'shared/' ], modes: [ 'read' ], purpose: 'audit me', duration: '1h' });
      assert.equal((await stranger.fetch(`${owner.pod}shared/notes`)).status, 200);
      assert.equal((await stranger.fetch(`${owner.pod}private-nothing`)).status, 403);
      const entries = await consent.readAudit(20);
      const mine = entries.filter((entry): boolean => entry.grantId.includes(grant.id));
      assert.equal(mine.length, 1, JSON.stringify(entries, null, 1));
      assert.equal(mine[0].grantee, stranger.webId);
      assert.equal(mine[0].client, stranger.clientId);
      assert.equal(mine[0].resource, `${owner.pod}shared/notes`);
      assert.equal(mine[0].access, 'read');
      const table = await fmp('audit', owner.name);
      assert.equal(table.code, 0, table.stderr);
      assert.match(table.stdout, /^TIME +WHO +CLIENT +ACCESS +RESOURCE +GRANT/u);
      assert.ok(table.stdout.includes(stranger.webId));
    });
  });
});
