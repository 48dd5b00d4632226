import type { Quad, Quad_Object, Term } from '@rdfjs/types';
import { DataFactory, Parser, Store, Writer } from 'n3';
import { ConsentParseError } from '../model/errors';
import { XSD } from '../vocabulary';

const { literal, namedNode } = DataFactory;

/** Parses Turtle into a store, turning syntax errors into ConsentParseError. */
export function parseTurtle(turtle: string, baseIRI: string): Store {
  try {
    return new Store(new Parser({ baseIRI, format: 'text/turtle' }).parse(turtle));
  } catch (error: unknown) {
    throw new ConsentParseError(`Invalid Turtle for ${baseIRI}: ${(error as Error).message}`, { cause: error });
  }
}

/** All objects of `subject predicate ?o`. */
export function getObjects(store: Store, subject: Term, predicate: string): Quad_Object[] {
  return store.getObjects(subject, namedNode(predicate), null) as Quad_Object[];
}

/** The one object of `subject predicate ?o`, or undefined; more than one is an error (ambiguous = refused). */
export function getOptionalObject(store: Store, subject: Term, predicate: string): Quad_Object | undefined {
  const objects = getObjects(store, subject, predicate);
  if (objects.length > 1) {
    throw new ConsentParseError(`${subject.value} has ${objects.length} values for <${predicate}>; expected one.`);
  }
  return objects[0];
}

/** The one object of `subject predicate ?o`; throws if it is missing or repeated. */
export function getObject(store: Store, subject: Term, predicate: string): Quad_Object {
  const object = getOptionalObject(store, subject, predicate);
  if (!object) {
    throw new ConsentParseError(`${subject.value} has no <${predicate}>.`);
  }
  return object;
}

/** The IRI value of a term, or a ConsentParseError. */
export function getIri(term: Term, what: string): string {
  if (term.termType !== 'NamedNode') {
    throw new ConsentParseError(`${what} must be an IRI, got ${term.termType} "${term.value}".`);
  }
  return term.value;
}

/** The Date value of an xsd:dateTime literal, or a ConsentParseError. */
export function getDate(term: Term, what: string): Date {
  const date = new Date(term.value);
  if (term.termType !== 'Literal' || Number.isNaN(date.getTime())) {
    throw new ConsentParseError(`${what} must be an xsd:dateTime, got "${term.value}".`);
  }
  return date;
}

/** An xsd:dateTime literal. */
export function dateLiteral(date: Date): Quad_Object {
  return literal(date.toISOString(), namedNode(XSD.dateTime));
}

/** Serialises quads as Turtle with the given prefixes (N3's Writer finishes synchronously for string output). */
export function writeTurtle(quads: Quad[], prefixes: Record<string, string>): string {
  let output: string | undefined;
  let failure: Error | undefined;
  const writer = new Writer({ prefixes });
  writer.addQuads(quads);
  writer.end((error: Error | null, result: string): void => {
    failure = error ?? undefined;
    output = result;
  });
  if (failure || output === undefined) {
    throw failure ?? new Error('The Turtle writer did not finish synchronously.');
  }
  return output;
}
