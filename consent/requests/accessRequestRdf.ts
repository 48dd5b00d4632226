import type { Quad } from '@rdfjs/types';
import { DataFactory } from 'n3';
import { ConsentParseError } from '../model/errors';
import type { GrantMode } from '../model/Grant';
import { GRANT_MODES, isAudienceGrantee } from '../model/Grant';
import { granteeFromStore, granteeToQuads } from '../model/granteeRdf';
import { MODE_TO_ACL } from '../model/grantToTurtle';
import { dateLiteral, getDate, getIri, getObject, getObjects, getOptionalObject, parseTurtle, writeTurtle } from '../util/rdf';
import { ACL, DCTERMS, FMP, GC, PREFIXES, RDF_TYPE, TIME, XSD } from '../vocabulary';
import type { AccessRequest, AccessRequestStatus } from './AccessRequest';
import { fromXsdDuration, toXsdDuration } from './xsdDuration';

const { literal, namedNode, quad } = DataFactory;

// Same GConsent shape as a grant (and as Inrupt's access requests), with status Requested/Refused/ExplicitlyGiven.
const STATUS_TO_IRI: Record<AccessRequestStatus, string> = {
  pending: GC.ConsentStatusRequested,
  approved: GC.ConsentStatusExplicitlyGiven,
  denied: GC.ConsentStatusRefused,
};
const IRI_TO_STATUS = new Map(Object.entries(STATUS_TO_IRI).map(([ status, iri ]): [string, AccessRequestStatus] =>
  [ iri, status as AccessRequestStatus ]));
const ACL_TO_MODE = new Map(Object.entries(MODE_TO_ACL).map(([ mode, iri ]): [string, GrantMode] => [ iri, mode as GrantMode ]));

/** Serialises an access request as Turtle (the request is not modified). */
export function accessRequestToTurtle(request: AccessRequest): string {
  const subject = namedNode(request.id);
  const add = (predicate: string, object: Quad['object']): Quad => quad(subject, namedNode(predicate), object);
  const quads = [
    add(RDF_TYPE, namedNode(GC.Consent)),
    add(RDF_TYPE, namedNode(FMP.AccessRequest)),
    add(GC.hasStatus, namedNode(STATUS_TO_IRI[request.status])),
    add(GC.isConsentForDataSubject, namedNode(request.grantor)),
    ...request.scope.map((iri): Quad => add(GC.forPersonalData, namedNode(iri))),
    ...request.modes.map((mode): Quad => add(ACL.mode, namedNode(MODE_TO_ACL[mode]))),
    add(DCTERMS.description, literal(request.purpose.text)),
    add(TIME.hasXSDDuration, literal(toXsdDuration(request.duration), namedNode(XSD.duration))),
    add(DCTERMS.created, dateLiteral(request.requestedAt)),
  ];
  if (request.purpose.iri) {
    quads.push(add(GC.forPurpose, namedNode(request.purpose.iri)));
  }
  if (request.decidedAt) {
    quads.push(add(DCTERMS.issued, dateLiteral(request.decidedAt)));
  }
  return writeTurtle([ ...quads, ...granteeToQuads(subject, request.requester) ], PREFIXES);
}

/** Reads the access request `iri` from (untrusted) Turtle; throws ConsentParseError on anything unexpected. */
export function parseAccessRequest(turtle: string, iri: string): AccessRequest {
  const store = parseTurtle(turtle, iri);
  const subject = namedNode(iri);
  if (store.countQuads(subject, namedNode(RDF_TYPE), namedNode(FMP.AccessRequest), null) === 0) {
    throw new ConsentParseError(`${iri} is not an fmp:AccessRequest.`);
  }
  const status = IRI_TO_STATUS.get(getObject(store, subject, GC.hasStatus).value);
  if (!status) {
    throw new ConsentParseError(`${iri} has an unknown gc:hasStatus.`);
  }
  const modes = getObjects(store, subject, ACL.mode).map((term): GrantMode | undefined => ACL_TO_MODE.get(term.value));
  if (modes.length === 0 || modes.includes(undefined)) {
    throw new ConsentParseError(`${iri} must ask for acl:Read, acl:Append and/or acl:Write only.`);
  }
  const scope = getObjects(store, subject, GC.forPersonalData).map((term): string => getIri(term, 'gc:forPersonalData'));
  if (scope.length === 0) {
    throw new ConsentParseError(`${iri} has no gc:forPersonalData.`);
  }
  const requester = granteeFromStore(store, subject);
  if (isAudienceGrantee(requester)) {
    // Anyone may post to an inbox: a request must come from someone, never ask for every member or the public.
    throw new ConsentParseError(`${iri} asks access for ${requester.kind === 'public' ? 'everyone' : 'every member'}; ` +
      'only a member grants that, never a request.');
  }
  const purposeIri = getOptionalObject(store, subject, GC.forPurpose);
  const decidedAt = getOptionalObject(store, subject, DCTERMS.issued);
  return {
    id: iri,
    requester,
    grantor: getIri(getObject(store, subject, GC.isConsentForDataSubject), 'gc:isConsentForDataSubject'),
    scope,
    modes: GRANT_MODES.filter((mode): boolean => modes.includes(mode)),
    purpose: {
      text: getObject(store, subject, DCTERMS.description).value,
      ...purposeIri ? { iri: getIri(purposeIri, 'gc:forPurpose') } : {},
    },
    duration: fromXsdDuration(getObject(store, subject, TIME.hasXSDDuration).value),
    requestedAt: getDate(getObject(store, subject, DCTERMS.created), 'dcterms:created'),
    status,
    ...decidedAt ? { decidedAt: getDate(decidedAt, 'dcterms:issued') } : {},
  };
}
