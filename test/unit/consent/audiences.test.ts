import assert from 'node:assert/strict';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { GrantIndex } from '../../../consent/enforcement/GrantIndex';
import { isHostMember } from '../../../consent/enforcement/granteeKeys';
import type { GrantMatchContext } from '../../../consent/enforcement/permissionsFromGrants';
import { permissionsFromGrants } from '../../../consent/enforcement/permissionsFromGrants';
import type { RequestCredentials } from '../../../consent/enforcement/RequestCredentials';
import { GrantValidationError } from '../../../consent/model/errors';
import type { Grant } from '../../../consent/model/Grant';
import { FMP_MEMBERS_AGENT, PUBLIC_AGENT } from '../../../consent/model/Grant';
import { grantToTurtle } from '../../../consent/model/grantToTurtle';
import { parseGrant } from '../../../consent/model/parseGrant';
import { revokeGrant } from '../../../consent/model/revokeGrant';
import { accessRequestToTurtle, parseAccessRequest } from '../../../consent/requests/accessRequestRdf';
import { loadOrCreateIssuerKeys } from '../../../consent/signing/issuerKeys';
import { issueGrantCredential } from '../../../consent/signing/issueGrantCredential';
import { verifyGrantCredential } from '../../../consent/signing/verifyGrantCredential';
import { DAY, makeGrant, makeInput, NOW, POD } from './fixtures';
import { createGrant } from '../../../consent/model/createGrant';

const HOST = 'https://fmp.example/';
const CAROL = 'https://fmp.example/carol/profile/card#me';
const PEER_AGENT = 'https://north.example/dave/profile/card#me';
const member: RequestCredentials = { agent: { webId: CAROL }, client: { clientId: 'app-1' }, issuer: { url: HOST } };
const peerMember: RequestCredentials = { agent: { webId: PEER_AGENT }, issuer: { url: 'https://north.example/' } };
const anonymous: RequestCredentials = {};

function check(grants: Grant[], target: string, credentials: RequestCredentials, extra: Partial<GrantMatchContext> = {}):
Record<string, true> {
  return permissionsFromGrants(grants, { credentials, target, now: NOW, podRoot: POD,
    hostMember: isHostMember(credentials, HOST), ...extra }) as Record<string, true>;
}

describe('Grants to every member of the FMP and to everyone', (): void => {
  const membersRead = makeGrant({ grantee: { kind: 'fmp-members' }, modes: [ 'read', 'append' ]});
  const publicRead = makeGrant({ grantee: { kind: 'public' }});

  describe('who counts as a member', (): void => {
    it('is an agent with a WebID whose token the hosting FMP issued, trailing slash or not.', (): void => {
      assert.equal(isHostMember(member, HOST), true);
      assert.equal(isHostMember({ agent: { webId: CAROL }, issuer: { url: 'https://fmp.example' } }, HOST), true);
    });

    it('is not anonymous, a peer FMP\'s agent, a token without a WebID, or anyone when the host is unknown.', (): void => {
      assert.equal(isHostMember(anonymous, HOST), false);
      assert.equal(isHostMember(peerMember, HOST), false);
      assert.equal(isHostMember({ issuer: { url: HOST } }, HOST), false);
      assert.equal(isHostMember({ agent: { webId: '' }, issuer: { url: HOST } }, HOST), false);
      assert.equal(isHostMember(member, undefined), false);
      assert.equal(isHostMember(member, ''), false);
      assert.equal(isHostMember({ agent: { webId: CAROL }, issuer: { url: 'https://fmp.example.evil/' } }, HOST), false);
    });
  });

  describe('enforcement', (): void => {
    const target = `${POD}catalog/apples`;

    it('gives an fmp-members grant\'s modes to a member of the host only.', (): void => {
      assert.deepEqual(check([ membersRead ], target, member), { read: true, append: true, create: true });
      assert.deepEqual(check([ membersRead ], `${POD}catalog/`, member), { read: true, append: true });
      assert.deepEqual(check([ membersRead ], target, peerMember), {});
      assert.deepEqual(check([ membersRead ], target, anonymous), {});
      assert.deepEqual(check([ membersRead ], `${POD}orders/o1`, member), {});
    });

    it('never lets a member in when the caller did not say the request is from one.', (): void => {
      assert.deepEqual(permissionsFromGrants([ membersRead ], { credentials: member, target, now: NOW, podRoot: POD }), {});
    });

    it('gives a public grant read to everyone, anonymous included, and nothing more even if it says so.', (): void => {
      for (const who of [ member, peerMember, anonymous ]) {
        assert.deepEqual(check([ publicRead ], target, who), { read: true });
      }
      // Written by hand past createGrant's checks: enforcement still gives read only.
      const tampered = parseGrant(grantToTurtle(publicRead).replace('acl:mode acl:Read', 'acl:mode acl:Read, acl:Write, acl:Append'),
        publicRead.id);
      assert.deepEqual(tampered.modes, [ 'read', 'append', 'write' ]);
      assert.deepEqual(check([ tampered ], target, anonymous), { read: true });
      assert.deepEqual(check([ tampered ], target, member), { read: true });
    });

    it('ends with revocation and expiry, and does not start before validFrom.', (): void => {
      for (const grant of [ membersRead, publicRead ]) {
        const who = grant === publicRead ? anonymous : member;
        assert.deepEqual(check([ revokeGrant(grant, NOW) ], target, who), {});
        assert.deepEqual(check([ grant ], target, who, { now: grant.validUntil }), {});
        assert.deepEqual(check([ grant ], target, who, { now: new Date(grant.validFrom.getTime() - 1) }), {});
        assert.deepEqual(new GrantIndex([ revokeGrant(grant, NOW) ]).size, 0);
      }
    });

    it('never reaches consent/ or inbox/, nor the pod root above them, even in a hand-written grant.', (): void => {
      for (const kind of [ 'fmp-members', 'public' ] as const) {
        const wide = parseGrant(grantToTurtle(makeGrant({ grantee: { kind }}))
          .replace(`<${POD}catalog/>`, `<${POD}>, <${POD}inbox/>, <${POD}consent/>, <${POD}inbox/m1>`), publicRead.id);
        assert.equal(wide.scope.length, 4, 'the hand-written grant names the root, inbox/ and consent/');
        const who = kind === 'public' ? anonymous : member;
        for (const path of [ '', 'inbox/', 'inbox/m1', 'consent/', 'consent/g1', 'catalog/apples' ]) {
          assert.deepEqual(check([ wide ], `${POD}${path}`, who), {}, `${kind} on /${path}`);
        }
      }
    });

    it('is ignored when a pod owner did not give it.', (): void => {
      assert.deepEqual(check([ publicRead ], target, anonymous, { podOwners: [ CAROL ]}), {});
    });
  });

  describe('creation', (): void => {
    function create(kind: 'fmp-members' | 'public', overrides: Parameters<typeof makeInput>[0] = {}): Grant {
      return createGrant(makeInput({ grantee: { kind }, ...overrides }), { now: NOW });
    }

    it('refuses consent/ and inbox/, anything in them, and containers above them, naming why.', (): void => {
      for (const kind of [ 'fmp-members', 'public' ] as const) {
        for (const scope of [ 'consent/', 'inbox/', 'inbox/m1', 'consent/g1', '', POD ]) {
          assert.throws((): unknown => create(kind, { scope: [ 'catalog/', scope ]}),
            (error: unknown): boolean => error instanceof GrantValidationError && error.field === 'scope' &&
              /may not cover (consent|inbox)\//u.test(error.message), `${kind} with scope "${scope}"`);
        }
      }
    });

    it('refuses a public grant that is not read only; lets members append and write.', (): void => {
      for (const modes of [[ 'append' ], [ 'read', 'write' ]]) {
        assert.throws((): unknown => create('public', { modes }), /public grant is read only/u);
      }
      assert.deepEqual(create('fmp-members', { modes: [ 'read', 'write' ]}).modes, [ 'read', 'write' ]);
    });

    it('keeps them time-limited by the FMP\'s maximum.', (): void => {
      assert.throws((): unknown => create('public', { validUntil: new Date(NOW.getTime() + 91 * DAY) }), /at most 90d/u);
    });

    it('refuses the audience IRIs as an agent\'s WebID.', (): void => {
      for (const webId of [ FMP_MEMBERS_AGENT, PUBLIC_AGENT ]) {
        assert.throws((): unknown => createGrant(makeInput({ grantee: { kind: 'agent', webId }}), { now: NOW }), /is not a WebID/u);
      }
    });
  });

  describe('storage and credentials', (): void => {
    it('round-trips through Turtle as acp:PublicAgent and fmp:FmpMembers.', (): void => {
      assert.match(grantToTurtle(publicRead), /acp:PublicAgent/u);
      assert.match(grantToTurtle(membersRead), /FmpMembers/u);
      assert.deepEqual(parseGrant(grantToTurtle(publicRead), publicRead.id), publicRead);
      assert.deepEqual(parseGrant(grantToTurtle(membersRead), membersRead.id), membersRead);
    });

    it('signs and verifies back to the same audience.', async(): Promise<void> => {
      const folder = await mkdtemp(join(tmpdir(), 'fmp-audience-'));
      try {
        const keys = await loadOrCreateIssuerKeys(folder);
        for (const grant of [ publicRead, membersRead ]) {
          const jwt = await issueGrantCredential(grant, { issuer: HOST, ...keys });
          const verified = await verifyGrantCredential(jwt, keys.publicJwks, { now: NOW, expectedIssuer: HOST });
          assert.deepEqual(verified.grant.grantee, grant.grantee);
        }
      } finally {
        await rm(folder, { recursive: true, force: true });
      }
    });

    it('refuses an access request that asks for every member or for everyone.', (): void => {
      const request = {
        id: `${POD}inbox/r1`,
        status: 'pending' as const,
        requester: { kind: 'agent' as const, webId: CAROL },
        grantor: makeInput().grantor,
        scope: [ `${POD}catalog/` ],
        modes: [ 'read' as const ],
        purpose: { text: 'shop' },
        duration: 86_400_000,
        requestedAt: NOW,
      };
      const turtle = accessRequestToTurtle(request);
      assert.equal(parseAccessRequest(turtle, request.id).requester.kind, 'agent');
      assert.throws((): unknown => parseAccessRequest(turtle.replace(`<${CAROL}>`, `<${PUBLIC_AGENT}>`), request.id), /never a request/u);
    });
  });
});
