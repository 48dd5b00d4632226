import type { Literal, NamedNode, Quad, Quad_Object, Term } from '@rdfjs/types';
import { DataFactory, Store } from 'n3';
import { RDF, XSD } from '../namespaces';

const { namedNode, blankNode, literal, quad } = DataFactory;

/**
 * Small pure helpers to build and read the quads of one resource. Builders return `[]` for an
 * absent optional value, so mappers can spread them without `if`s.
 */

/** A named node for an IRI. */
export function iri(value: string): NamedNode {
  return namedNode(value);
}

/** `<subject> a <type>`. */
export function typeQuad(subject: string, type: string): Quad {
  return quad(namedNode(subject), namedNode(RDF('type')), namedNode(type));
}

/** `<subject> <predicate> <object IRI>`, or nothing when the object is undefined. */
export function iriQuads(subject: string, predicate: string, object?: string): Quad[] {
  return object === undefined ? [] : [ quad(namedNode(subject), namedNode(predicate), namedNode(object)) ];
}

/** `<subject> <predicate> "text"`, or nothing when the text is undefined. */
export function stringQuads(subject: string, predicate: string, text?: string): Quad[] {
  return text === undefined ? [] : [ quad(namedNode(subject), namedNode(predicate), literal(text)) ];
}

/** `<subject> <predicate> number` as xsd:decimal, or nothing when undefined. */
export function decimalQuads(subject: string, predicate: string, value?: number): Quad[] {
  return value === undefined ? [] : [ quad(namedNode(subject), namedNode(predicate), decimal(value)) ];
}

/** `<subject> <predicate> "…"^^xsd:decimal` whatever the number (DFC's canonical form), or nothing when undefined. */
export function xsdDecimalQuads(subject: string, predicate: string, value?: number): Quad[] {
  return value === undefined ? [] : [ quad(namedNode(subject), namedNode(predicate), xsdDecimal(value)) ];
}

/** A number as an xsd:decimal literal, never in exponent form (`1e-7` → `0.0000001`). */
export function xsdDecimal(value: number): Literal {
  const text = String(value);
  const lexical = /e/iu.test(text) ? value.toFixed(20).replace(/\.?0+$/u, '') : text;
  return literal(lexical, namedNode(XSD('decimal')));
}

/** `<subject> <predicate> "..."^^datatype`, or nothing when undefined. */
export function typedQuads(subject: string, predicate: string, datatype: string, value?: string): Quad[] {
  return value === undefined ? [] : [ quad(namedNode(subject), namedNode(predicate), literal(value, namedNode(datatype))) ];
}

/** A number as an xsd:decimal literal (integers keep an xsd:integer form to stay short). */
export function decimal(value: number): Literal {
  return Number.isInteger(value) ?
    literal(String(value), namedNode(XSD('integer'))) :
    literal(String(value), namedNode(XSD('decimal')));
}

/** Read access to the quads of one resource. */
export class ResourceGraph {
  private readonly store: Store;

  /** @param quads - The quads of the resource (copied into an index). */
  public constructor(quads: Iterable<Quad>) {
    this.store = new Store([ ...quads ]);
  }

  /** The subjects typed with a class. */
  public getSubjectsOfType(type: string): string[] {
    return this.store.getSubjects(namedNode(RDF('type')), namedNode(type), null)
      .filter((term): boolean => term.termType === 'NamedNode').map((term): string => term.value);
  }

  /** Whether a subject has a type. */
  public hasType(subject: string, type: string): boolean {
    return this.store.has(quad(nodeOf(subject), namedNode(RDF('type')), namedNode(type)));
  }

  /** All objects of a subject and predicate. */
  public getObjects(subject: string, predicate: string): Quad_Object[] {
    return this.store.getObjects(nodeOf(subject), namedNode(predicate), null) as Quad_Object[];
  }

  /** The subjects that have `object` (a node, as {@link getNode} names it) as value of `predicate`. */
  public getSubjectsWith(predicate: string, object: string): string[] {
    return this.store.getSubjects(namedNode(predicate), nodeOf(object), null).map(nodeName);
  }

  /** The first object's value (IRI or lexical form), if any. */
  public getValue(subject: string, predicate: string): string | undefined {
    return this.getObjects(subject, predicate)[0]?.value;
  }

  /** All object values. */
  public getValues(subject: string, predicate: string): string[] {
    return this.getObjects(subject, predicate).map((term: Term): string => term.value);
  }

  /** The first object as a number, if it is one. */
  public getNumber(subject: string, predicate: string): number | undefined {
    const value = this.getValue(subject, predicate)?.trim();
    // Numeric text counts (DFC publishers write "12.06"); empty text is no number.
    const number = value === undefined || value === '' ? Number.NaN : Number(value);
    return Number.isNaN(number) ? undefined : number;
  }

  /**
   * The first object if it is a node: an IRI, or a blank node as `_:label` (other platforms write prices and
   * quantities as blank nodes; our resources use hash IRIs). Literals give `undefined`.
   */
  public getNode(subject: string, predicate: string): string | undefined {
    const term = this.getObjects(subject, predicate).find((object): boolean => object.termType !== 'Literal');
    return term && nodeName(term);
  }
}

/** A node's name as {@link ResourceGraph} takes and gives it: the IRI, or `_:label` for a blank node. */
function nodeName(term: Term): string {
  return term.termType === 'BlankNode' ? `_:${term.value}` : term.value;
}

function nodeOf(name: string): NamedNode | ReturnType<typeof blankNode> {
  return name.startsWith('_:') ? blankNode(name.slice(2)) : namedNode(name);
}
