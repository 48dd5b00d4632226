import assert from 'node:assert/strict';
import { createGrant } from '../../../consent/model/createGrant';
import type { AccessRequest } from '../../../consent/requests/AccessRequest';
import { AccessRequestError } from '../../../consent/requests/AccessRequest';
import { accessRequestToTurtle, parseAccessRequest } from '../../../consent/requests/accessRequestRdf';
import { approveRequest, denyRequest } from '../../../consent/requests/decideRequest';
import { fromXsdDuration, toXsdDuration } from '../../../consent/requests/xsdDuration';
import { ALICE, DAY, NOW, POD } from './fixtures';

const REQUEST: AccessRequest = {
  id: `${POD}inbox/r1`,
  requester: { kind: 'app', clientId: 'https://market.example/id' },
  grantor: ALICE,
  scope: [ `${POD}catalog/`, `${POD}orders/` ],
  modes: [ 'read', 'append' ],
  purpose: { text: 'List your produce', iri: 'https://w3id.org/dpv#ServiceProvision' },
  duration: 30 * DAY,
  requestedAt: NOW,
  status: 'pending',
};

describe('Access requests', (): void => {
  it('round-trips through Turtle, pending and denied.', (): void => {
    assert.deepEqual(parseAccessRequest(accessRequestToTurtle(REQUEST), REQUEST.id), REQUEST);
    const denied = denyRequest(REQUEST, NOW);
    assert.equal(REQUEST.status, 'pending');
    assert.deepEqual(parseAccessRequest(accessRequestToTurtle(denied), REQUEST.id), denied);
    assert.match(accessRequestToTurtle(REQUEST), /gc:ConsentStatusRequested/u);
  });

  it('refuses requests for control or without a known type.', (): void => {
    const turtle = accessRequestToTurtle(REQUEST);
    assert.throws((): unknown => parseAccessRequest(turtle.replace('acl:Read', 'acl:Control'), REQUEST.id), /acl:Read/u);
    assert.throws((): unknown => parseAccessRequest(turtle.replace('fmp:AccessRequest', 'fmp:Other'), REQUEST.id),
      /not an fmp:AccessRequest/u);
  });

  it('converts durations to and from xsd:duration.', (): void => {
    assert.equal(toXsdDuration(30 * DAY), 'P30D');
    assert.equal(toXsdDuration(90_000), 'PT1M30S');
    assert.equal(fromXsdDuration('P1DT2H'), DAY + 7_200_000);
    assert.throws((): unknown => fromXsdDuration('P1M'), /Unsupported duration/u);
    assert.throws((): unknown => fromXsdDuration('P'), /Unsupported duration/u);
  });

  it('approves into a grant input createGrant accepts, shortened and narrowed.', (): void => {
    const input = approveRequest(REQUEST, { now: NOW, podRoot: POD, shortenTo: 7 * DAY, narrowScope: [ `${POD}catalog/apples` ] });
    const grant = createGrant(input, { now: NOW });
    assert.deepEqual(grant.grantee, REQUEST.requester);
    assert.deepEqual(grant.scope, [ `${POD}catalog/apples` ]);
    assert.equal(grant.validUntil.getTime() - grant.validFrom.getTime(), 7 * DAY);
  });

  it('never widens and never decides twice.', (): void => {
    assert.throws((): unknown => approveRequest(REQUEST, { now: NOW, podRoot: POD, shortenTo: 31 * DAY }), AccessRequestError);
    assert.throws((): unknown => approveRequest(REQUEST, { now: NOW, podRoot: POD, narrowScope: [ `${POD}land/` ] }),
      /not part of what was requested/u);
    assert.throws((): unknown => approveRequest(denyRequest(REQUEST, NOW), { now: NOW, podRoot: POD }), /already denied/u);
  });
});
