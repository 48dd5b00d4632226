import type { Grant } from '../../../consent/model/Grant';
import { createGrant } from '../../../consent/model/createGrant';
import type { GrantInput } from '../../../consent/model/createGrant';

export const POD = 'https://fmp.example/alice/';
export const ALICE = 'https://fmp.example/alice/profile/card#me';
export const BOB = 'https://fmp.example/bob/profile/card#me';
export const NOW = new Date('2025-03-01T12:00:00.000Z');
export const DAY = 86_400_000;

/** A valid grant input for Bob to read Alice's catalog for 30 days, with overrides. */
export function makeInput(overrides: Partial<GrantInput> = {}): GrantInput {
  return {
    id: `${POD}consent/g1`,
    grantor: ALICE,
    podRoot: POD,
    grantee: { kind: 'agent', webId: BOB },
    scope: [ 'catalog/' ],
    modes: [ 'read' ],
    purpose: { text: 'Show my stock on the market', iri: 'https://w3id.org/dpv#ServiceProvision' },
    validUntil: new Date(NOW.getTime() + 30 * DAY),
    ...overrides,
  };
}

/** A valid active grant, created at NOW. */
export function makeGrant(overrides: Partial<GrantInput> = {}): Grant {
  return createGrant(makeInput(overrides), { now: NOW });
}
