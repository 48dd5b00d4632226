import type { BlankNode, NamedNode, Quad, Term } from '@rdfjs/types';
import type { Store } from 'n3';
import { DataFactory } from 'n3';
import { ACP, GC, RDF_TYPE, RDFS_LABEL } from '../vocabulary';
import { getIri, getObjects, getOptionalObject } from '../util/rdf';
import { ConsentParseError } from './errors';
import type { Grantee } from './Grant';
import { FMP_MEMBERS_AGENT, PUBLIC_AGENT } from './Grant';

const { blankNode, literal, namedNode, quad } = DataFactory;

// An agent grantee is written as Inrupt does: `gc:isProvidedTo <webId>`.
// Apps and peers are not WebIDs, so they become an ACP matcher node (acp:client / acp:issuer / acp:agent),
// the terms Solid's access control policy language already uses for exactly these credentials.

/** Quads saying `subject gc:isProvidedTo <grantee>`. */
export function granteeToQuads(subject: NamedNode, grantee: Grantee): Quad[] {
  if (grantee.kind === 'agent') {
    return [ quad(subject, namedNode(GC.isProvidedTo), namedNode(grantee.webId)) ];
  }
  // The audiences are classes of agents, named as ACP (everyone) and the FMP vocabulary (members) name them.
  if (grantee.kind === 'public') {
    return [ quad(subject, namedNode(GC.isProvidedTo), namedNode(PUBLIC_AGENT)) ];
  }
  if (grantee.kind === 'fmp-members') {
    return [ quad(subject, namedNode(GC.isProvidedTo), namedNode(FMP_MEMBERS_AGENT)) ];
  }
  const matcher = blankNode('grantee');
  const quads = [
    quad(subject, namedNode(GC.isProvidedTo), matcher),
    quad(matcher, namedNode(RDF_TYPE), namedNode(ACP.Matcher)),
  ];
  if (grantee.kind === 'app') {
    quads.push(quad(matcher, namedNode(ACP.client), clientTerm(grantee.clientId)));
    if (grantee.webId) {
      quads.push(quad(matcher, namedNode(ACP.agent), namedNode(grantee.webId)));
    }
  } else {
    quads.push(quad(matcher, namedNode(ACP.issuer), namedNode(grantee.issuer)));
    if (grantee.peerName) {
      quads.push(quad(matcher, namedNode(RDFS_LABEL), literal(grantee.peerName)));
    }
  }
  return quads;
}

// Solid-OIDC client ids are usually IRIs (Client ID Documents) but CSS client credentials use plain strings.
function clientTerm(clientId: string): NamedNode | ReturnType<typeof literal> {
  return /^https?:\/\//u.test(clientId) ? namedNode(clientId) : literal(clientId);
}

/** Reads the grantee of `subject gc:isProvidedTo ?g`; refuses anything that is not exactly one kind. */
export function granteeFromStore(store: Store, subject: Term): Grantee {
  const objects = getObjects(store, subject, GC.isProvidedTo);
  if (objects.length !== 1) {
    throw new ConsentParseError(`${subject.value} must have exactly one gc:isProvidedTo, found ${objects.length}.`);
  }
  const [ node ] = objects;
  if (node.termType === 'NamedNode' && (node.value === PUBLIC_AGENT || node.value === FMP_MEMBERS_AGENT)) {
    return node.value === PUBLIC_AGENT ? { kind: 'public' } : { kind: 'fmp-members' };
  }
  if (node.termType === 'NamedNode' && getObjects(store, node, ACP.client).length === 0 &&
    getObjects(store, node, ACP.issuer).length === 0) {
    return { kind: 'agent', webId: node.value };
  }
  if (node.termType !== 'BlankNode' && node.termType !== 'NamedNode') {
    throw new ConsentParseError(`gc:isProvidedTo of ${subject.value} must be a WebID or a matcher.`);
  }
  return matcherToGrantee(store, node);
}

function matcherToGrantee(store: Store, node: BlankNode | NamedNode): Grantee {
  const client = getOptionalObject(store, node, ACP.client);
  const issuer = getOptionalObject(store, node, ACP.issuer);
  if (client && !issuer) {
    const agent = getOptionalObject(store, node, ACP.agent);
    if (client.termType !== 'NamedNode' && client.termType !== 'Literal') {
      throw new ConsentParseError('acp:client must be an IRI or a string.');
    }
    return agent ?
      { kind: 'app', clientId: client.value, webId: getIri(agent, 'acp:agent') } :
      { kind: 'app', clientId: client.value };
  }
  if (issuer && !client) {
    const label = getOptionalObject(store, node, RDFS_LABEL);
    const peer: Grantee = { kind: 'peer', issuer: getIri(issuer, 'acp:issuer') };
    return label ? { ...peer, peerName: label.value } : peer;
  }
  throw new ConsentParseError('A grantee matcher needs either acp:client or acp:issuer, not both or neither.');
}
