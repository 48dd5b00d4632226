import assert from 'node:assert/strict';
import { createGrant } from '../../../consent/model/createGrant';
import { DurationError, GrantValidationError } from '../../../consent/model/errors';
import { grantToTurtle } from '../../../consent/model/grantToTurtle';
import { parseDuration } from '../../../consent/model/parseDuration';
import { parseGrant } from '../../../consent/model/parseGrant';
import { getGrantState, revokeGrant } from '../../../consent/model/revokeGrant';
import { ALICE, BOB, DAY, makeGrant, makeInput, NOW, POD } from './fixtures';

function assertInvalid(run: () => unknown, field: string, message: RegExp): void {
  assert.throws(run, (error: unknown): boolean => error instanceof GrantValidationError && error.field === field &&
    message.test(error.message));
}

describe('Grant model', (): void => {
  describe('createGrant', (): void => {
    it('resolves pod paths, sorts modes and starts at now.', (): void => {
      const grant = makeGrant({ modes: [ 'write', 'read' ], scope: [ 'catalog/', `${POD}orders/o1` ] });
      assert.deepEqual(grant.scope, [ `${POD}catalog/`, `${POD}orders/o1` ]);
      assert.deepEqual(grant.modes, [ 'read', 'write' ]);
      assert.equal(grant.validFrom.getTime(), NOW.getTime());
      assert.equal(grant.status, 'active');
      assert.ok(Object.isFrozen(grant) && Object.isFrozen(grant.scope));
    });

    it('mints an id inside the consent container when none is given.', (): void => {
      const grant = makeGrant({ id: undefined });
      assert.match(grant.id, /^https:\/\/fmp\.example\/alice\/consent\/[0-9a-f-]{36}$/u);
    });

    it('requires validUntil after validFrom and in the future.', (): void => {
      assertInvalid((): unknown => createGrant({ ...makeInput(), validUntil: undefined as unknown as Date }, { now: NOW }),
        'validUntil', /end date/u);
      assertInvalid((): unknown => makeGrant({ validUntil: NOW }), 'validUntil', /after validFrom/u);
      assertInvalid((): unknown => makeGrant({ validFrom: new Date(NOW.getTime() - 2 * DAY),
        validUntil: new Date(NOW.getTime() - DAY) }), 'validUntil', /past/u);
    });

    it('refuses a duration past the maximum and names the maximum.', (): void => {
      assertInvalid((): unknown => makeGrant({ validUntil: new Date(NOW.getTime() + 91 * DAY) }), 'validUntil', /at most 90d/u);
      assertInvalid((): unknown => createGrant(makeInput({ validUntil: new Date(NOW.getTime() + 3 * 3_600_000) }),
        { now: NOW, maxDuration: 2 * 3_600_000 }), 'validUntil', /at most 2h/u);
      assert.ok(makeGrant({ validUntil: new Date(NOW.getTime() + 90 * DAY) }));
    });

    it('keeps the scope inside the grantor\'s pod.', (): void => {
      assertInvalid((): unknown => makeGrant({ scope: [ 'https://fmp.example/bob/catalog/' ] }), 'scope', /outside/u);
      assertInvalid((): unknown => makeGrant({ scope: [ '../bob/' ] }), 'scope', /"\.\."/u);
      assertInvalid((): unknown => makeGrant({ scope: [ 'catalog/%2e%2e/%2E%2E/bob/' ] }), 'scope', /"\.\."/u);
      assertInvalid((): unknown => makeGrant({ scope: [ '/bob/' ] }), 'scope', /pod path/u);
      assertInvalid((): unknown => makeGrant({ scope: [ 'catalog/.acl' ] }), 'scope', /auxiliary/u);
      assertInvalid((): unknown => makeGrant({ scope: [] }), 'scope', /at least one/u);
    });

    it('accepts only read, append and write, never control.', (): void => {
      assertInvalid((): unknown => makeGrant({ modes: [ 'read', 'control' ] }), 'modes', /never give control/u);
      assertInvalid((): unknown => makeGrant({ modes: [ 'delete' ] }), 'modes', /Unknown mode/u);
      assertInvalid((): unknown => makeGrant({ modes: [] }), 'modes', /at least one/u);
    });

    it('checks grantees and, when peers are known, that a peer is listed.', (): void => {
      assertInvalid((): unknown => makeGrant({ grantee: { kind: 'agent', webId: 'mailto:bob@x' } }), 'grantee.webId', /http/u);
      assertInvalid((): unknown => makeGrant({ grantee: { kind: 'app', clientId: '' } }), 'grantee.clientId', /client id/u);
      const peers = [ { name: 'north', issuer: 'https://north.example/' } ];
      assertInvalid((): unknown => createGrant(makeInput({ grantee: { kind: 'peer', issuer: 'https://south.example/' } }),
        { now: NOW, peers }), 'grantee.issuer', /not a listed peer.*north/u);
      const grant = createGrant(makeInput({ grantee: { kind: 'peer', issuer: 'https://north.example' } }), { now: NOW, peers });
      assert.deepEqual(grant.grantee, { kind: 'peer', issuer: 'https://north.example', peerName: 'north' });
    });

    it('requires a purpose text.', (): void => {
      assertInvalid((): unknown => makeGrant({ purpose: { text: '  ' } }), 'purpose.text', /purpose/u);
    });
  });

  describe('revokeGrant', (): void => {
    it('returns a revoked copy and leaves the original alone.', (): void => {
      const grant = makeGrant();
      const later = new Date(NOW.getTime() + DAY);
      const revoked = revokeGrant(grant, later);
      assert.equal(grant.status, 'active');
      assert.equal(revoked.status, 'revoked');
      assert.equal(revoked.revokedAt?.getTime(), later.getTime());
      assert.equal(revokeGrant(revoked, new Date(later.getTime() + DAY)), revoked);
      assert.equal(getGrantState(revoked, later), 'revoked');
      assert.equal(getGrantState(grant, new Date(NOW.getTime() + 31 * DAY)), 'expired');
    });
  });

  describe('Turtle', (): void => {
    const grantees = [
      { kind: 'agent', webId: BOB },
      { kind: 'app', clientId: 'https://app.example/id' },
      { kind: 'app', clientId: 'market_5f2c', webId: BOB },
      { kind: 'peer', issuer: 'https://north.example', peerName: 'north' },
    ] as const;
    for (const grantee of grantees) {
      it(`round-trips a grant for ${grantee.kind} ${JSON.stringify(grantee)}.`, (): void => {
        const grant = makeGrant({ grantee, modes: [ 'read', 'append' ], scope: [ 'catalog/', 'orders/o1' ] });
        assert.deepEqual(parseGrant(grantToTurtle(grant), grant.id), grant);
      });
    }

    it('round-trips a revoked grant without a purpose IRI and uses GConsent terms.', (): void => {
      const grant = revokeGrant(makeGrant({ purpose: { text: 'Audit "my" farm' } }), new Date(NOW.getTime() + 1_000));
      const turtle = grantToTurtle(grant);
      assert.match(turtle, /gc:ConsentStatusWithdrawn/u);
      assert.match(turtle, /gc:isConsentForDataSubject/u);
      assert.match(turtle, /acl:mode acl:Read/u);
      assert.deepEqual(parseGrant(turtle, grant.id), grant);
    });

    it('refuses control modes, unknown statuses, missing fields and bad Turtle.', (): void => {
      const turtle = grantToTurtle(makeGrant());
      const id = `${POD}consent/g1`;
      assert.throws((): unknown => parseGrant(turtle.replace('acl:Read', 'acl:Control'), id), /unsupported acl:mode/u);
      assert.throws((): unknown => parseGrant(turtle.replace('gc:ConsentStatusExplicitlyGiven', 'gc:ConsentStatusRequested'), id),
        /neither given nor withdrawn/u);
      assert.throws((): unknown => parseGrant(turtle, `${POD}consent/other`), /not a gc:Consent/u);
      assert.throws((): unknown => parseGrant(`${turtle}\n<${id}> <https://www.w3.org/2018/credentials#validUntil> "2030-01-01T00:00:00Z".`, id),
        /expected one/u);
      assert.throws((): unknown => parseGrant('<a> <b>', id), /Invalid Turtle/u);
      assert.ok(ALICE);
    });
  });

  describe('parseDuration', (): void => {
    it('reads seconds, minutes, hours and days.', (): void => {
      assert.equal(parseDuration('90s'), 90_000);
      assert.equal(parseDuration('15m'), 900_000);
      assert.equal(parseDuration('2h'), 7_200_000);
      assert.equal(parseDuration('30d'), 30 * DAY);
    });

    it('explains what it accepts.', (): void => {
      for (const text of [ '', '10', '1w', '-5m', '1.5h', '0d' ]) {
        assert.throws((): unknown => parseDuration(text), DurationError);
      }
      assert.throws((): unknown => parseDuration('1w'), /90s, 15m, 2h, 30d/u);
    });
  });
});
