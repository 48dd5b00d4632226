import assert from 'node:assert/strict';
import { GrantIndex } from '../../../consent/enforcement/GrantIndex';
import type { GrantMatchContext } from '../../../consent/enforcement/permissionsFromGrants';
import { permissionsFromGrants } from '../../../consent/enforcement/permissionsFromGrants';
import type { RequestCredentials } from '../../../consent/enforcement/RequestCredentials';
import type { Grant } from '../../../consent/model/Grant';
import { revokeGrant } from '../../../consent/model/revokeGrant';
import { ALICE, BOB, DAY, makeGrant, NOW, POD } from './fixtures';

const CAROL = 'https://other.example/carol#me';
const PEER_ISSUER = 'https://north.example/';
const bob: RequestCredentials = { agent: { webId: BOB }, issuer: { url: 'https://fmp.example/' } };

function check(grants: Grant[], target: string, credentials: RequestCredentials = bob,
  extra: Partial<GrantMatchContext> = {}): Record<string, true> {
  return permissionsFromGrants(grants, { credentials, target, now: NOW, podRoot: POD, ...extra }) as Record<string, true>;
}

describe('permissionsFromGrants', (): void => {
  const readCatalog = makeGrant();

  describe('matches grantees', (): void => {
    it('gives an agent grantee its modes inside the scope and nothing outside.', (): void => {
      assert.deepEqual(check([ readCatalog ], `${POD}catalog/apples`), { read: true });
      assert.deepEqual(check([ readCatalog ], `${POD}catalog/`), { read: true });
      assert.deepEqual(check([ readCatalog ], `${POD}orders/o1`), {});
      assert.deepEqual(check([ readCatalog ], `${POD}catalogue`), {});
    });

    it('ignores other agents and anonymous requests.', (): void => {
      assert.deepEqual(check([ readCatalog ], `${POD}catalog/apples`, { agent: { webId: CAROL } }), {});
      assert.deepEqual(check([ readCatalog ], `${POD}catalog/apples`, {}), {});
    });

    it('matches an app grantee by client id, and by WebID when the grant names one.', (): void => {
      const app = makeGrant({ grantee: { kind: 'app', clientId: 'https://market.example/id' } });
      const appForBob = makeGrant({ grantee: { kind: 'app', clientId: 'market_5f2c', webId: BOB } });
      const target = `${POD}catalog/apples`;
      assert.deepEqual(check([ app ], target, { agent: { webId: CAROL }, client: { clientId: 'https://market.example/id' } }),
        { read: true });
      assert.deepEqual(check([ app ], target, { agent: { webId: BOB }, client: { clientId: 'https://evil.example/id' } }), {});
      assert.deepEqual(check([ appForBob ], target, { agent: { webId: BOB }, client: { clientId: 'market_5f2c' } }), { read: true });
      assert.deepEqual(check([ appForBob ], target, { agent: { webId: CAROL }, client: { clientId: 'market_5f2c' } }), {});
      assert.deepEqual(check([ appForBob ], target, { client: { clientId: 'market_5f2c' } }), {});
    });

    it('matches a peer grantee by issuer, with or without a trailing slash.', (): void => {
      const peer = makeGrant({ grantee: { kind: 'peer', issuer: PEER_ISSUER } });
      const target = `${POD}catalog/apples`;
      assert.deepEqual(check([ peer ], target, { agent: { webId: CAROL }, issuer: { url: 'https://north.example' } }), { read: true });
      assert.deepEqual(check([ peer ], target, { agent: { webId: CAROL }, issuer: { url: PEER_ISSUER } }), { read: true });
      assert.deepEqual(check([ peer ], target, { agent: { webId: CAROL }, issuer: { url: 'https://south.example/' } }), {});
      assert.deepEqual(check([ revokeGrant(peer, NOW) ], target, { issuer: { url: PEER_ISSUER } }), {});
    });
  });

  describe('respects time and status', (): void => {
    const target = `${POD}catalog/apples`;
    const later = makeGrant({ validFrom: new Date(NOW.getTime() + DAY), validUntil: new Date(NOW.getTime() + 2 * DAY) });

    it('denies before validFrom and from validUntil on.', (): void => {
      assert.deepEqual(check([ later ], target), {});
      assert.deepEqual(check([ later ], target, bob, { now: new Date(NOW.getTime() + DAY) }), { read: true });
      assert.deepEqual(check([ later ], target, bob, { now: new Date(NOW.getTime() + 2 * DAY - 1) }), { read: true });
      assert.deepEqual(check([ later ], target, bob, { now: new Date(NOW.getTime() + 2 * DAY) }), {});
    });

    it('denies a revoked grant.', (): void => {
      assert.deepEqual(check([ revokeGrant(readCatalog, NOW) ], target), {});
    });
  });

  describe('stays inside the pod', (): void => {
    it('never covers another pod, even for a grant with a foreign scope.', (): void => {
      const foreign: Grant = { ...readCatalog, scope: [ 'https://fmp.example/' ] };
      assert.deepEqual(check([ readCatalog ], 'https://fmp.example/bob/catalog/apples'), {});
      assert.deepEqual(check([ foreign ], `${POD}catalog/apples`), {});
      assert.deepEqual(check([ readCatalog ], `${POD}catalog/apples`, bob, { podRoot: 'https://fmp.example/bob/' }), {});
    });

    it('never covers .acl, .acr or .meta resources, nor the consent container.', (): void => {
      const everything = makeGrant({ scope: [ POD ], modes: [ 'read', 'write' ] });
      for (const path of [ 'catalog/.acl', 'catalog/.meta', '.acl', 'x.acr', 'consent/g1', 'consent/' ]) {
        assert.deepEqual(check([ everything ], `${POD}${path}`), {}, path);
      }
      assert.deepEqual(check([ everything ], `${POD}catalog/`), { read: true, append: true, write: true, create: true, delete: true });
      assert.deepEqual(check([ everything ], POD), { read: true, append: true, write: true });
    });

    it('refuses targets that are not in normal form.', (): void => {
      for (const target of [ `${POD}catalog/../../bob/x`, `${POD}catalog/%2e%2e/x`, `${POD}catalog/x?y`,
        `${POD}catalog/x#y`, 'HTTPS://FMP.example/alice/catalog/x', 'not a url' ]) {
        assert.deepEqual(check([ readCatalog ], target), {}, target);
      }
    });

    it('ignores grants from someone other than the pod owners when they are given.', (): void => {
      assert.deepEqual(check([ readCatalog ], `${POD}catalog/a`, bob, { podOwners: [ ALICE ] }), { read: true });
      assert.deepEqual(check([ readCatalog ], `${POD}catalog/a`, bob, { podOwners: [ CAROL ] }), {});
    });
  });

  describe('maps modes as CSS maps WAC', (): void => {
    const container = makeGrant({ modes: [ 'write' ] });
    const appendOnly = makeGrant({ modes: [ 'append' ] });
    const oneFile = makeGrant({ scope: [ 'catalog/apples' ], modes: [ 'read', 'write' ] });

    it('write gives append and write; create and delete below the scope container.', (): void => {
      assert.deepEqual(check([ container ], `${POD}catalog/apples`),
        { append: true, write: true, create: true, delete: true });
      assert.deepEqual(check([ container ], `${POD}catalog/sub/new`),
        { append: true, write: true, create: true, delete: true });
    });

    it('does not let the scope container itself be created or deleted.', (): void => {
      assert.deepEqual(check([ container ], `${POD}catalog/`), { append: true, write: true });
    });

    it('append gives append and create, never write or delete.', (): void => {
      assert.deepEqual(check([ appendOnly ], `${POD}catalog/apples`), { append: true, create: true });
    });

    it('a resource scope covers only itself and cannot create or delete it.', (): void => {
      assert.deepEqual(check([ oneFile ], `${POD}catalog/apples`), { read: true, append: true, write: true });
      assert.deepEqual(check([ oneFile ], `${POD}catalog/apples2`), {});
      assert.deepEqual(check([ oneFile ], `${POD}catalog/apples/x`), {});
    });

    it('unions the modes of several matching grants and never returns false or control.', (): void => {
      const result = check([ readCatalog, appendOnly ], `${POD}catalog/apples`);
      assert.deepEqual(result, { read: true, append: true, create: true });
      assert.ok(!Object.values(result).includes(false as never));
      assert.ok(!('control' in result));
    });
  });

  describe('fails closed', (): void => {
    it('returns nothing for damaged grants or context.', (): void => {
      const broken = { ...readCatalog, validUntil: new Date(Number.NaN) };
      assert.deepEqual(check([ broken ], `${POD}catalog/a`), {});
      assert.deepEqual(check([ readCatalog ], `${POD}catalog/a`, bob, { podRoot: 'https://fmp.example/alice' }), {});
      assert.deepEqual(check([ { ...readCatalog, grantee: undefined } as unknown as Grant ], `${POD}catalog/a`), {});
      assert.deepEqual(check([ { ...readCatalog, scope: [ `${POD}catalog/../` ] } ], `${POD}x`), {});
    });
  });

  describe('GrantIndex', (): void => {
    it('files 1,000 grants by grantee and only hands out the request\'s own.', (): void => {
      const grants = Array.from({ length: 1_000 }, (_, index): Grant => makeGrant({
        id: `${POD}consent/g${index}`,
        grantee: { kind: 'agent', webId: `https://fmp.example/member${index % 250}/profile/card#me` },
        scope: [ `catalog/item${index}` ],
      }));
      const index = new GrantIndex([ ...grants, revokeGrant(readCatalog, NOW) ]);
      assert.equal(index.size, 1_000);
      assert.equal(index.granteeCount, 250);
      const member7 = { agent: { webId: 'https://fmp.example/member7/profile/card#me' } };
      assert.equal(index.getCandidates(member7).length, 4);
      assert.equal(index.getCandidates({}).length, 0);
      assert.deepEqual(permissionsFromGrants(index, { credentials: member7, target: `${POD}catalog/item7`, now: NOW, podRoot: POD }),
        { read: true });
      assert.deepEqual(permissionsFromGrants(index, { credentials: member7, target: `${POD}catalog/item8`, now: NOW, podRoot: POD }),
        {});
    });
  });
});
