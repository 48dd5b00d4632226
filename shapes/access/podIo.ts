import type { Quad } from '@rdfjs/types';
import { getContainedResourceUrlAll, getSolidDataset, overwriteFile, toRdfJsDataset } from '@inrupt/solid-client';
import { Writer } from 'n3';
import type { ContainerKind } from '../ContainerKind';
import { validateDataset } from '../validateDataset';
import { ResourceGraph } from './rdf';
import { ShapeViolationError } from './ShapeViolationError';

/** Options every pod function takes: the (authenticated) fetch to use. */
export interface PodOptions {
  /** Defaults to the global `fetch`; pass a Solid session's fetch to act as a member. */
  readonly fetch?: typeof fetch;
}

/** The URL of a container inside a pod, e.g. `containerUrl('https://pod/alice/', 'catalog')`. */
export function containerUrl(podUrl: string, kind: ContainerKind): string {
  return `${podUrl.endsWith('/') ? podUrl : `${podUrl}/`}${kind}/`;
}

/** The URL of one item resource in a container. Slugs must be plain path segments. */
export function resourceUrl(podUrl: string, kind: ContainerKind, slug: string): string {
  if (!/^[\w.-]+$/u.test(slug) || slug === '.' || slug === '..') {
    throw new Error(`Invalid slug "${slug}": use letters, digits, ".", "_" and "-" only.`);
  }
  return `${containerUrl(podUrl, kind)}${slug}`;
}

/** The last path segment of a resource URL. */
export function slugOf(url: string): string {
  return url.replace(/\/$/u, '').split('/').pop() ?? '';
}

/** Reads one resource as a {@link ResourceGraph}. */
export async function readResource(url: string, options: PodOptions = {}): Promise<ResourceGraph> {
  const dataset = await getSolidDataset(url, { fetch: options.fetch ?? fetch });
  return new ResourceGraph(toRdfJsDataset(dataset) as Iterable<Quad>);
}

/** Lists the URLs of the non-container resources in a container. */
export async function listResourceUrls(container: string, options: PodOptions = {}): Promise<string[]> {
  const dataset = await getSolidDataset(container, { fetch: options.fetch ?? fetch });
  return getContainedResourceUrlAll(dataset).filter((url): boolean => !url.endsWith('/'));
}

/**
 * Reads every item of a container and maps each with `read`; resources that hold no such item
 * (e.g. plantings when listing land assets) are skipped.
 */
export async function readAll<T>(
  container: string,
  read: (slug: string, graph: ResourceGraph) => T | undefined,
  options: PodOptions = {},
): Promise<T[]> {
  const urls = await listResourceUrls(container, options);
  const items: (T | undefined)[] = await Promise.all(urls.map(async(url): Promise<T | undefined> =>
    read(slugOf(url), await readResource(url, options))));
  return items.filter((item): item is T => item !== undefined);
}

/**
 * Throws a {@link ShapeViolationError} if the quads break the container's shapes.
 * Runs before anything is sent, with the same shapes and messages as the pod server.
 */
export function assertValid(kind: ContainerKind, url: string, quads: Quad[]): void {
  const report = validateDataset(kind, quads);
  if (!report.conforms) {
    throw new ShapeViolationError(kind, url, report);
  }
}

/**
 * Validates the quads and then writes them as Turtle to `url`, replacing what was there.
 * Nothing is sent when validation fails.
 */
export async function writeResource(kind: ContainerKind, url: string, quads: Quad[], options: PodOptions = {}): Promise<void> {
  assertValid(kind, url, quads);
  const turtle = quadsToTurtle(quads);
  await overwriteFile(url, new Blob([ turtle ], { type: 'text/turtle' }), {
    contentType: 'text/turtle',
    fetch: options.fetch ?? fetch,
  });
}

/**
 * Serializes quads as Turtle with the project's usual prefixes. With `baseIri`, IRIs under it are written relative
 * (`<#item>`, no `@base`), so the document can be PUT to any resource URL.
 */
export function quadsToTurtle(quads: Quad[], baseIri?: string): string {
  const writer = new Writer({ prefixes: TURTLE_PREFIXES, ...baseIri === undefined ? {} : { baseIRI: baseIri }});
  writer.addQuads(quads);
  let turtle = '';
  writer.end((error: Error | null, result: string): void => {
    if (error) {
      throw error;
    }
    turtle = result;
  });
  return turtle;
}

const TURTLE_PREFIXES: Readonly<Record<string, string>> = Object.freeze({
  'dfc-b': 'https://github.com/datafoodconsortium/ontology/releases/latest/download/DFC_BusinessOntology.owl#',
  'dfc-m': 'https://github.com/datafoodconsortium/taxonomies/releases/latest/download/measures.rdf#',
  'dfc-pt': 'https://github.com/datafoodconsortium/taxonomies/releases/latest/download/productTypes.rdf#',
  fmp: 'https://w3id.org/fmp-vault/ns#',
  schema: 'http://schema.org/',
  geo: 'http://www.opengis.net/ont/geosparql#',
  dcterms: 'http://purl.org/dc/terms/',
  xsd: 'http://www.w3.org/2001/XMLSchema#',
});
