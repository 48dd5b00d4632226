import type { Quad } from '@rdfjs/types';
import { DataFactory } from 'n3';
import { ACL, CRED, DCTERMS, FMP, GC, PREFIXES, PROV, RDF_TYPE } from '../vocabulary';
import { dateLiteral, writeTurtle } from '../util/rdf';
import type { Grant, GrantMode } from './Grant';
import { granteeToQuads } from './granteeRdf';

const { literal, namedNode, quad } = DataFactory;

/** acl:mode values for each grant mode. */
export const MODE_TO_ACL: Record<GrantMode, string> = {
  read: ACL.Read,
  append: ACL.Append,
  write: ACL.Write,
};

/** The RDF statements describing a grant (the grant itself is not modified). */
export function grantToQuads(grant: Grant): Quad[] {
  const subject = namedNode(grant.id);
  const add = (predicate: string, object: Quad['object']): Quad => quad(subject, namedNode(predicate), object);
  const quads = [
    add(RDF_TYPE, namedNode(GC.Consent)),
    add(RDF_TYPE, namedNode(FMP.Grant)),
    add(GC.isConsentForDataSubject, namedNode(grant.grantor)),
    ...grant.scope.map((iri): Quad => add(GC.forPersonalData, namedNode(iri))),
    ...grant.modes.map((mode): Quad => add(ACL.mode, namedNode(MODE_TO_ACL[mode]))),
    add(DCTERMS.description, literal(grant.purpose.text)),
    add(GC.hasStatus, namedNode(grant.status === 'active' ? GC.ConsentStatusExplicitlyGiven : GC.ConsentStatusWithdrawn)),
    add(CRED.validFrom, dateLiteral(grant.validFrom)),
    add(CRED.validUntil, dateLiteral(grant.validUntil)),
    add(DCTERMS.issued, dateLiteral(grant.issuedAt)),
  ];
  if (grant.purpose.iri) {
    quads.push(add(GC.forPurpose, namedNode(grant.purpose.iri)));
  }
  if (grant.revokedAt) {
    quads.push(add(PROV.invalidatedAtTime, dateLiteral(grant.revokedAt)));
  }
  // Last, so the writer keeps the grant's own statements together.
  return [ ...quads, ...granteeToQuads(subject, grant.grantee) ];
}

/** Serialises a grant as Turtle for its resource in the member's `consent/` container. */
export function grantToTurtle(grant: Grant): string {
  return writeTurtle(grantToQuads(grant), PREFIXES);
}
