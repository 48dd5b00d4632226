import type { Quad } from '@rdfjs/types';
import { DataFactory, Parser } from 'n3';
import { quadsToTurtle } from '../../shapes/access/podIo';
import { FMP, RDF, XSD } from '../../shapes/namespaces';

/** One pod resource and the target record it is synced with. */
export interface Link {
  /** The pod resource, e.g. `https://fmp.example/greenacres/catalog/carrots`. */
  readonly resource: string;
  /** The target's id for it, e.g. `gid://shopify/Product/1234`. */
  readonly targetId: string;
  /** Hash of what both sides last agreed on (sent or received): a change with the same hash is an echo. */
  readonly hash: string;
  readonly syncedAt: string;
  /** Other ids the target needs (a variant, an inventory item). */
  readonly details?: Readonly<Record<string, string>>;
}

const { namedNode, literal, quad } = DataFactory;
const LINK = FMP('BridgeLink');
const RDF_JSON = 'http://www.w3.org/1999/02/22-rdf-syntax-ns#JSON';

/**
 * The link table of one member and target, kept in the member's pod (`bridges/<target>/links`) so it moves with the
 * pod and a bridge on the new FMP carries on without duplicates. Read and written whole, as Turtle.
 */
export class LinkTable {
  /**
   * @param url - The link table's document in the pod.
   * @param fetchFn - The bridge's authenticated fetch.
   */
  public constructor(public readonly url: string, private readonly fetchFn: typeof fetch) {}

  /** The links by pod resource; none if the document does not exist yet. */
  public async load(): Promise<Map<string, Link>> {
    const response = await this.fetchFn(this.url, { headers: { accept: 'text/turtle' } });
    if (response.status === 404) {
      return new Map();
    }
    if (!response.ok) {
      throw new Error(`Could not read the link table ${this.url}: ${response.status} ${await response.text()}`);
    }
    return parseLinks(await response.text(), this.url);
  }

  public async save(links: Iterable<Link>): Promise<void> {
    const response = await this.fetchFn(this.url, { method: 'PUT', headers: { 'content-type': 'text/turtle' },
      body: linksToTurtle(links, this.url) });
    if (!response.ok) {
      throw new Error(`Could not write the link table ${this.url}: ${response.status} ${await response.text()}`);
    }
  }
}

/** The links of a link table document. */
export function parseLinks(turtle: string, baseIri: string): Map<string, Link> {
  const quads = new Parser({ baseIRI: baseIri }).parse(turtle);
  const values = new Map<string, Map<string, string>>();
  for (const { subject, predicate, object } of quads) {
    const fields = values.get(subject.value) ?? new Map<string, string>();
    fields.set(predicate.value, object.value);
    values.set(subject.value, fields);
  }
  const links = new Map<string, Link>();
  for (const fields of values.values()) {
    const resource = fields.get(FMP('podResource'));
    const targetId = fields.get(FMP('targetId'));
    if (fields.get(RDF('type')) !== LINK || !resource || !targetId) {
      continue;
    }
    const details = fields.get(FMP('targetDetails'));
    links.set(resource, { resource, targetId, hash: fields.get(FMP('syncedHash')) ?? '',
      syncedAt: fields.get(FMP('syncedAt')) ?? '', ...details ? { details: JSON.parse(details) as Record<string, string> } : {} });
  }
  return links;
}

/** A link table document holding `links`. */
export function linksToTurtle(links: Iterable<Link>, baseIri: string): string {
  const quads: Quad[] = [];
  let index = 0;
  for (const link of links) {
    index += 1;
    const subject = namedNode(`${baseIri}#link-${index}`);
    quads.push(
      quad(subject, namedNode(RDF('type')), namedNode(LINK)),
      quad(subject, namedNode(FMP('podResource')), namedNode(link.resource)),
      quad(subject, namedNode(FMP('targetId')), literal(link.targetId)),
      quad(subject, namedNode(FMP('syncedHash')), literal(link.hash)),
      quad(subject, namedNode(FMP('syncedAt')), literal(link.syncedAt, namedNode(XSD('dateTime')))),
      ...link.details ? [ quad(subject, namedNode(FMP('targetDetails')), literal(JSON.stringify(link.details), namedNode(RDF_JSON))) ] : [],
    );
  }
  return quadsToTurtle(quads);
}
