import type { Store } from 'n3';
import { DataFactory } from 'n3';
import { ACL, CRED, DCTERMS, GC, PROV, RDF_TYPE } from '../vocabulary';
import { getDate, getIri, getObject, getObjects, getOptionalObject, parseTurtle } from '../util/rdf';
import { ConsentParseError } from './errors';
import type { Grant, GrantMode, GrantStatus, Purpose } from './Grant';
import { GRANT_MODES } from './Grant';
import { freezeGrant } from './freezeGrant';
import { granteeFromStore } from './granteeRdf';
import { MODE_TO_ACL } from './grantToTurtle';

const { namedNode } = DataFactory;

const ACL_TO_MODE = new Map(Object.entries(MODE_TO_ACL).map(([ mode, iri ]): [string, GrantMode] =>
  [ iri, mode as GrantMode ]));

const STATUS: Record<string, GrantStatus> = {
  [GC.ConsentStatusExplicitlyGiven]: 'active',
  [GC.ConsentStatusWithdrawn]: 'revoked',
};

/** Reads the grant `iri` from Turtle; throws ConsentParseError on anything missing, repeated or unknown. */
export function parseGrant(turtle: string, iri: string): Grant {
  return grantFromStore(parseTurtle(turtle, iri), iri);
}

/** Reads the grant `iri` from an already parsed store (fail-closed, like parseGrant). */
export function grantFromStore(store: Store, iri: string): Grant {
  const subject = namedNode(iri);
  if (store.countQuads(subject, namedNode(RDF_TYPE), namedNode(GC.Consent), null) === 0) {
    throw new ConsentParseError(`${iri} is not a gc:Consent.`);
  }
  const status = STATUS[getIri(getObject(store, subject, GC.hasStatus), 'gc:hasStatus')];
  if (!status) {
    throw new ConsentParseError(`${iri} has a gc:hasStatus that is neither given nor withdrawn.`);
  }
  const revokedAt = getOptionalObject(store, subject, PROV.invalidatedAtTime);
  const grant: Grant = {
    id: iri,
    grantor: getIri(getObject(store, subject, GC.isConsentForDataSubject), 'gc:isConsentForDataSubject'),
    grantee: granteeFromStore(store, subject),
    scope: getObjects(store, subject, GC.forPersonalData).map((term): string => getIri(term, 'gc:forPersonalData')),
    modes: readModes(store, iri),
    purpose: readPurpose(store, iri),
    validFrom: getDate(getObject(store, subject, CRED.validFrom), 'cred:validFrom'),
    validUntil: getDate(getObject(store, subject, CRED.validUntil), 'cred:validUntil'),
    status,
    issuedAt: getDate(getObject(store, subject, DCTERMS.issued), 'dcterms:issued'),
    ...revokedAt ? { revokedAt: getDate(revokedAt, 'prov:invalidatedAtTime') } : {},
  };
  if (grant.scope.length === 0) {
    throw new ConsentParseError(`${iri} has no gc:forPersonalData.`);
  }
  return freezeGrant(grant);
}

function readModes(store: Store, iri: string): GrantMode[] {
  const modes = getObjects(store, namedNode(iri), ACL.mode).map((term): GrantMode => {
    const mode = ACL_TO_MODE.get(term.value);
    if (!mode || term.termType !== 'NamedNode') {
      throw new ConsentParseError(`${iri} has an unsupported acl:mode ${term.value}; grants carry only Read, Append, Write.`);
    }
    return mode;
  });
  if (modes.length === 0) {
    throw new ConsentParseError(`${iri} has no acl:mode.`);
  }
  return GRANT_MODES.filter((mode): boolean => modes.includes(mode));
}

function readPurpose(store: Store, iri: string): Purpose {
  const text = getObject(store, namedNode(iri), DCTERMS.description);
  const purposeIri = getOptionalObject(store, namedNode(iri), GC.forPurpose);
  return purposeIri ?
    { text: text.value, iri: getIri(purposeIri, 'gc:forPurpose') } :
    { text: text.value };
}
