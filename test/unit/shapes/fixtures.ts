import { existsSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import type { Quad } from '@rdfjs/types';
import type { ContainerKind } from '../../../shapes/ContainerKind';
import { parseRdf } from '../../../shapes/parseRdf';
import { validateDataset } from '../../../shapes/validateDataset';
import type { ValidationReport } from '../../../shapes/ValidationReport';

/** `test/fixtures/dfc/`, whether the tests run from the source tree or from `dist/` (tsc copies no JSON fixtures). */
export const DFC_FIXTURES = [ resolve(__dirname, '..', '..', 'fixtures', 'dfc'), resolve(__dirname, '..', '..', '..', '..', 'test', 'fixtures', 'dfc') ]
  .find((dir): boolean => existsSync(join(dir, 'SOURCES.md'))) ?? '';

/** The text of an OFN fixture document. */
export function readFixture(name: string): string {
  return readFileSync(join(DFC_FIXTURES, name), 'utf8');
}

/** The text of a real published DFC document in `test/fixtures/dfc-real/` (see its SOURCES.md). */
export function readRealFixture(name: string): string {
  return readFileSync(join(DFC_FIXTURES, '..', 'dfc-real', name), 'utf8');
}

/** Turtle prefixes the tests' snippets use. */
export const PREFIXES = `
@prefix dfc-b: <https://github.com/datafoodconsortium/ontology/releases/latest/download/DFC_BusinessOntology.owl#>.
@prefix dfc-m: <https://github.com/datafoodconsortium/taxonomies/releases/latest/download/measures.rdf#>.
@prefix dfc-pt: <https://github.com/datafoodconsortium/taxonomies/releases/latest/download/productTypes.rdf#>.
@prefix fmp: <https://w3id.org/fmp-vault/ns#>.
@prefix schema: <http://schema.org/>.
@prefix geo: <http://www.opengis.net/ont/geosparql#>.
@prefix dcterms: <http://purl.org/dc/terms/>.
@prefix xsd: <http://www.w3.org/2001/XMLSchema#>.
`;

/** Parses a Turtle snippet (prefixes added) as `https://pod.example/<kind>/x`. */
export async function turtle(kind: ContainerKind, body: string): Promise<Quad[]> {
  return parseRdf(`${PREFIXES}${body}`, 'text/turtle', `https://pod.example/${kind}/x`);
}

/** Validates a Turtle snippet against a kind's shapes. */
export async function validateTurtle(kind: ContainerKind, body: string): Promise<ValidationReport> {
  return validateDataset(kind, await turtle(kind, body));
}

/** The messages of a report. */
export function messagesOf(report: ValidationReport): string[] {
  return report.violations.map((violation): string => violation.message);
}

/** Runs `action` and returns what it threw. */
export async function caught(action: () => Promise<unknown>): Promise<unknown> {
  try {
    await action();
  } catch (error: unknown) {
    return error;
  }
  throw new Error('expected an error');
}
