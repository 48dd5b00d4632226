import { strict as assert } from 'node:assert';
import type { ClientCredentialsSession } from '../../src/client/ClientCredentialsSession';
import type { GrantJson, NewGrant } from '../../src/client/ConsentApi';
import { ConsentApi } from '../../src/client/ConsentApi';
import { runFmp } from './cli';
import { sleep } from './eventually';
import type { TestMember } from './members';
import { createAnotherClient, createTestMember, uniqueName } from './members';

type Mode = 'read' | 'append' | 'write';
type Outcome = 'allowed' | 'denied';
const TURTLE = { 'content-type': 'text/turtle' };

/** The two FMPs the matrix runs on: A holds the pods, B is its peer. */
export interface MatrixServers {
  fmpA: { baseUrl: string; dataFolder: string };
  fmpB: { baseUrl: string };
  /** Stops what `startServers` started for the matrix. */
  stop: () => Promise<void>;
}

/**
 * Every cell of the access matrix: who × (read, append, write) × (inside, outside the granted scope),
 * on two FMPs side by side. Allowed and denied cells are asserted alike. Runs on one FMP process and on several
 * (test/integration/cluster.test.ts).
 */
export function describeAccessMatrix(title: string, startServers: () => Promise<MatrixServers>): void {
  describe(title, (): void => {
    let servers: MatrixServers;
    let fmpA: MatrixServers['fmpA'];
    let fmpB: MatrixServers['fmpB'];
    let owner: TestMember;
    let otherMember: TestMember;
    let agentGrantee: TestMember;
    let readOnlyGrantee: TestMember;
    let appUser: TestMember;
    let appUserOtherClient: ClientCredentialsSession;
    let timedGrantee: TestMember;
    let peerService: TestMember;
    let consent: ConsentApi;
    let inside: string;
    let outside: string;

    /** Tries one mode on a resource with a fetch; 'allowed' when the server carried it out. */
    async function attempt(fetchFn: typeof fetch, mode: Mode, resource: string): Promise<Outcome> {
      const container = resource.slice(0, resource.lastIndexOf('/') + 1);
      let response: Response;
      if (mode === 'read') {
        response = await fetchFn(resource);
      } else if (mode === 'append') {
        response = await fetchFn(container, { method: 'POST', headers: TURTLE, body: '<#note> <http://schema.org/text> "appended".' });
      } else {
        response = await fetchFn(resource, { method: 'PUT', headers: TURTLE, body: '<#item> <http://schema.org/name> "rewritten".' });
      }
      await response.arrayBuffer();
      if (response.ok) {
        return 'allowed';
      }
      assert.ok([ 401, 403 ].includes(response.status), `${mode} ${resource} answered ${response.status}`);
      return 'denied';
    }

    async function expectCells(who: string, fetchFn: typeof fetch, expected: Record<Mode, Outcome>, where: string): Promise<void> {
      for (const mode of [ 'read', 'append', 'write' ] as Mode[]) {
        assert.equal(await attempt(fetchFn, mode, where), expected[mode], `${who}: ${mode} on ${where}`);
      }
    }

    async function grant(body: NewGrant): Promise<GrantJson> {
      return (await consent.createGrant(body)).grant;
    }

    const ALL: Record<Mode, Outcome> = { read: 'allowed', append: 'allowed', write: 'allowed' };
    const NONE: Record<Mode, Outcome> = { read: 'denied', append: 'denied', write: 'denied' };

    before(async(): Promise<void> => {
      servers = await startServers();
      ({ fmpA, fmpB } = servers);
      // One after another: seven pod creations at once can outlast CSS's 6 s account lock on a busy machine.
      const made: TestMember[] = [];
      for (const [ server, prefix ] of [[ fmpA, 'owner' ], [ fmpA, 'other' ], [ fmpA, 'agent' ], [ fmpA, 'reader' ], [ fmpA, 'appuser' ],
        [ fmpA, 'timed' ], [ fmpB, 'service' ]] as const) {
        made.push(await createTestMember(server.baseUrl, uniqueName(prefix)));
      }
      [ owner, otherMember, agentGrantee, readOnlyGrantee, appUser, timedGrantee, peerService ] = made;
      appUserOtherClient = await createAnotherClient(fmpA.baseUrl, appUser);
      consent = new ConsentApi(fmpA.baseUrl, owner.name, owner.fetch);
      inside = `${owner.pod}shared/item`;
      outside = `${owner.pod}private/item`;
    });

    after(async(): Promise<void> => {
      await servers?.stop();
    });

    beforeEach(async(): Promise<void> => {
      // Each cell starts from the same two resources.
      for (const url of [ inside, outside ]) {
        const put = await owner.fetch(url, { method: 'PUT', headers: TURTLE, body: '<#item> <http://schema.org/name> "original".' });
        assert.ok(put.ok, `owner could not reset ${url}: ${put.status}`);
      }
    });

    it('the owner may read, append and write everywhere in the pod.', async(): Promise<void> => {
      await expectCells('owner', owner.fetch, ALL, inside);
      await expectCells('owner', owner.fetch, ALL, outside);
    });

    it('another member, and anonymous, may do nothing.', async(): Promise<void> => {
      await expectCells('other member', otherMember.fetch, NONE, inside);
      await expectCells('other member', otherMember.fetch, NONE, outside);
      await expectCells('anonymous', fetch, NONE, inside);
      await expectCells('anonymous', fetch, NONE, outside);
    });

    it('an agent grantee gets exactly the granted modes, only inside the scope.', async(): Promise<void> => {
      await grant({ grantee: { webId: agentGrantee.webId }, scope: [ 'shared/' ], modes: [ 'read', 'append', 'write' ], purpose: 'co-op', duration: '1h' });
      await grant({ grantee: { webId: readOnlyGrantee.webId }, scope: [ 'shared/' ], modes: [ 'read' ], purpose: 'co-op', duration: '1h' });
      await expectCells('agent grantee', agentGrantee.fetch, ALL, inside);
      await expectCells('agent grantee', agentGrantee.fetch, NONE, outside);
      await expectCells('read-only grantee', readOnlyGrantee.fetch, { read: 'allowed', append: 'denied', write: 'denied' }, inside);
      await expectCells('read-only grantee', readOnlyGrantee.fetch, NONE, outside);
      // The grant reaches nothing of the grantee's own making elsewhere: not another member's pod, not control.
      await expectCells('agent grantee in another pod', agentGrantee.fetch, NONE, `${otherMember.pod}shared/item`);
      assert.equal((await agentGrantee.fetch(`${owner.pod}shared/.acl`)).status, 403, 'no control through a grant');
      const aclWrite = await agentGrantee.fetch(`${owner.pod}shared/.acl`, { method: 'PUT', headers: TURTLE, body: '<#a> <#b> <#c>.' });
      assert.equal(aclWrite.status, 403);
    });

    it('an app grantee works only with the granted client id.', async(): Promise<void> => {
      await grant({ grantee: { clientId: appUser.clientId }, scope: [ 'shared/' ], modes: [ 'read', 'append' ], purpose: 'app', duration: '1h' });
      await expectCells('app, right client', appUser.fetch, { read: 'allowed', append: 'allowed', write: 'denied' }, inside);
      await expectCells('app, right client, outside', appUser.fetch, NONE, outside);
      await expectCells('same WebID, other client', appUserOtherClient.fetch, NONE, inside);
    });

    it('a peer-FMP grant lets a service of that FMP in, until it is revoked.', async(): Promise<void> => {
      await expectCells('peer service before any grant', peerService.fetch, NONE, inside);
      const added = await runFmp([ 'peer', 'add', 'fmp-b', '--from', fmpB.baseUrl, '--data', fmpA.dataFolder ]);
      assert.equal(added.code, 0, added.stderr);
      const peerGrant = await grant({ grantee: { peer: 'fmp-b' }, scope: [ 'shared/' ], modes: [ 'read' ], purpose: 'federation', duration: '1h' });
      assert.equal(peerGrant.grantee.issuer, fmpB.baseUrl.replace(/\/$/u, ''));
      await expectCells('peer service', peerService.fetch, { read: 'allowed', append: 'denied', write: 'denied' }, inside);
      await expectCells('peer service, outside', peerService.fetch, NONE, outside);
      await consent.revokeGrant(peerGrant.id);
      await expectCells('peer service after revocation', peerService.fetch, NONE, inside);
    });

    it('removing a peer FMP ends its grants at once.', async(): Promise<void> => {
      await grant({ grantee: { peer: 'fmp-b' }, scope: [ 'shared/' ], modes: [ 'read' ], purpose: 'federation', duration: '1h' });
      assert.equal(await attempt(peerService.fetch, 'read', inside), 'allowed');
      const listed = await runFmp([ 'peer', 'list', '--data', fmpA.dataFolder ]);
      assert.match(listed.stdout, new RegExp(`^fmp-b +${fmpB.baseUrl.replace(/\/$/u, '')}`, 'mu'));
      const removed = await runFmp([ 'peer', 'remove', 'fmp-b', '--data', fmpA.dataFolder ]);
      assert.equal(removed.code, 0, removed.stderr);
      assert.equal(await attempt(peerService.fetch, 'read', inside), 'denied');
      const published = await (await fetch(new URL('.fmp/peers', fmpA.baseUrl))).json() as { peers: unknown[] };
      assert.deepEqual(published.peers, []);
    });

    it('a grant works only between validFrom and validUntil (real clock).', async(): Promise<void> => {
      const validFrom = new Date(Date.now() + 3000);
      const created = await owner.fetch(new URL(`.fmp/consent/${owner.name}/grants`, fmpA.baseUrl), {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ grantee: { webId: timedGrantee.webId }, scope: [ 'shared/' ], modes: [ 'read' ], purpose: 'soon',
          validFrom: validFrom.toISOString(), duration: '3s' }),
      });
      assert.equal(created.status, 201);
      const { grant: timed } = await created.json() as { grant: GrantJson };
      assert.equal(timed.state, 'pending');
      assert.equal(await attempt(timedGrantee.fetch, 'read', inside), 'denied', 'before validFrom');
      await sleep(Date.parse(timed.validFrom) - Date.now() + 200);
      assert.equal(await attempt(timedGrantee.fetch, 'read', inside), 'allowed', 'inside the window');
      await sleep(Date.parse(timed.validUntil) - Date.now() + 200);
      assert.equal(await attempt(timedGrantee.fetch, 'read', inside), 'denied', 'after validUntil');
      const listed = await consent.listGrants('expired');
      assert.ok(listed.some((entry): boolean => entry.id === timed.id), 'it is listed as expired');
    });

    describe('grants to every member of this FMP and to everyone', (): void => {
      const READ_ONLY: Record<Mode, Outcome> = { read: 'allowed', append: 'denied', write: 'denied' };
      const READ_APPEND: Record<Mode, Outcome> = { read: 'allowed', append: 'allowed', write: 'denied' };

      // Grants of the tests above (a peer grant, say) must not let anyone in here.
      beforeEach(async(): Promise<void> => {
        for (const live of (await consent.listGrants()).filter((entry): boolean => entry.state === 'active' || entry.state === 'pending')) {
          await consent.revokeGrant(live.id);
        }
      });

      it('an fmp-members grant lets in members of this FMP only, until it is revoked.', async(): Promise<void> => {
        // Even a listed peer's agents are not members of this FMP.
        const added = await runFmp([ 'peer', 'add', 'fmp-b', '--from', fmpB.baseUrl, '--data', fmpA.dataFolder ]);
        assert.equal(added.code, 0, added.stderr);
        try {
          const members = await grant({ grantee: { audience: 'fmp-members' }, scope: [ 'shared/' ], modes: [ 'read', 'append' ],
            purpose: 'co-op price list', duration: '1h' });
          assert.deepEqual(members.grantee, { kind: 'fmp-members' });
          await expectCells('member of this FMP', otherMember.fetch, READ_APPEND, inside);
          await expectCells('member of this FMP, outside', otherMember.fetch, NONE, outside);
          await expectCells('member of a peer FMP', peerService.fetch, NONE, inside);
          await expectCells('anonymous', fetch, NONE, inside);
          await consent.revokeGrant(members.id);
          await expectCells('member of this FMP after revocation', otherMember.fetch, NONE, inside);
          await expectCells('member of a peer FMP after revocation', peerService.fetch, NONE, inside);
          await expectCells('anonymous after revocation', fetch, NONE, inside);
        } finally {
          await runFmp([ 'peer', 'remove', 'fmp-b', '--data', fmpA.dataFolder ]);
        }
      });

      it('a public grant lets everyone read, anonymous included, and nothing more, until it is revoked.', async(): Promise<void> => {
        const open = await grant({ grantee: { audience: 'public' }, scope: [ 'shared/' ], modes: [ 'read' ], purpose: 'farm website', duration: '1h' });
        for (const [ who, fetchFn ] of [[ 'anonymous', fetch ], [ 'member of this FMP', otherMember.fetch ], [ 'member of a peer FMP', peerService.fetch ]] as const) {
          await expectCells(who, fetchFn, READ_ONLY, inside);
          await expectCells(`${who}, outside`, fetchFn, NONE, outside);
        }
        // The pod root, consent/ and inbox/ stay closed to the public.
        for (const path of [ '', 'consent/', 'inbox/' ]) {
          assert.equal((await fetch(`${owner.pod}${path}`)).status, 401, `anonymous GET /${path}`);
        }
        await consent.revokeGrant(open.id);
        for (const [ who, fetchFn ] of [[ 'anonymous', fetch ], [ 'member of this FMP', otherMember.fetch ], [ 'member of a peer FMP', peerService.fetch ]] as const) {
          await expectCells(`${who} after revocation`, fetchFn, NONE, inside);
        }
      });

      it('both end when they expire (real clock).', async(): Promise<void> => {
        const [ members, open ] = await Promise.all([
          grant({ grantee: { audience: 'fmp-members' }, scope: [ 'shared/' ], modes: [ 'read' ], purpose: 'short', duration: '3s' }),
          grant({ grantee: { audience: 'public' }, scope: [ 'shared/' ], modes: [ 'read' ], purpose: 'short', duration: '3s' }),
        ]);
        assert.equal(await attempt(otherMember.fetch, 'read', inside), 'allowed', 'member before expiry');
        assert.equal(await attempt(fetch, 'read', inside), 'allowed', 'anonymous before expiry');
        assert.equal(await attempt(peerService.fetch, 'read', inside), 'allowed', 'peer member before expiry (public grant)');
        await consent.revokeGrant(open.id);
        assert.equal(await attempt(peerService.fetch, 'read', inside), 'denied', 'peer member once the public grant is revoked');
        assert.equal(await attempt(otherMember.fetch, 'read', inside), 'allowed', 'member still, through the members grant');
        await sleep(Date.parse(members.validUntil) - Date.now() + 200);
        assert.equal(await attempt(otherMember.fetch, 'read', inside), 'denied', 'member after expiry');
        assert.equal(await attempt(fetch, 'read', inside), 'denied', 'anonymous after expiry');
        assert.equal(await attempt(peerService.fetch, 'read', inside), 'denied', 'peer member after expiry');
      });

      it('neither may cover consent/ or inbox/, and a public grant may not write: refused with the reason.', async(): Promise<void> => {
        for (const [ audience, scope, modes, reason ] of [
          [ 'public', 'inbox/', [ 'read' ], /may not cover inbox\//u ],
          [ 'fmp-members', 'consent/', [ 'read' ], /may not cover consent\//u ],
          [ 'fmp-members', '', [ 'read' ], /may not cover consent\//u ],
          [ 'public', 'shared/', [ 'read', 'write' ], /read only/u ],
        ] as const) {
          const response = await owner.fetch(new URL(`.fmp/consent/${owner.name}/grants`, fmpA.baseUrl), {
            method: 'POST',
            headers: { 'content-type': 'application/json' },
            body: JSON.stringify({ grantee: { audience }, scope: [ scope ], modes, purpose: 'x', duration: '1h' }),
          });
          assert.equal(response.status, 400, `${audience} ${scope} ${modes.join(',')}`);
          assert.match(await response.text(), reason);
        }
        const cli = await runFmp([ 'grant', 'create', owner.name, '--public', '--scope', 'inbox/', '--modes', 'read', '--for', '1h',
          '--purpose', 'x', '--server', fmpA.baseUrl, '--email', owner.email, '--password', owner.password ]);
        assert.equal(cli.code, 1);
        assert.match(cli.stderr, /^fmp: .*may not cover inbox\//mu);
        assert.deepEqual((await consent.listGrants('active')).filter((entry): boolean =>
          entry.grantee.kind === 'public' || entry.grantee.kind === 'fmp-members'), [], 'nothing was stored');
      });

      it('fmp grant create --public says plainly that anyone can read it.', async(): Promise<void> => {
        const cli = await runFmp([ 'grant', 'create', owner.name, '--public', '--scope', 'shared/', '--modes', 'read', '--for', '1h',
          '--purpose', 'farm website', '--server', fmpA.baseUrl, '--email', owner.email, '--password', owner.password ]);
        assert.equal(cli.code, 0, cli.stderr);
        assert.match(cli.stdout, /to: +everyone \(public, anonymous included\)/u);
        assert.match(cli.stdout, /Warning: anyone on the internet can now read this/u);
        assert.equal(await attempt(fetch, 'read', inside), 'allowed');
        const id = /Grant (\S+) \(active\)/u.exec(cli.stdout)![1];
        await consent.revokeGrant(id);
        assert.equal(await attempt(fetch, 'read', inside), 'denied');
      });
    });
  });
}
