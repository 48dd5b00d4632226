import type { Quad, Term } from '@rdfjs/types';
import { DataFactory } from 'n3';

/** Where a pod was and where it goes: its root, its owner's WebID and its FMP's base URL. */
export interface PodLocation {
  pod: string;
  webId: string;
  server: string;
}

/**
 * Rewrites absolute IRIs of a pod's old home to its new one: the old WebID and the old FMP root (its OIDC issuer)
 * exactly, then anything under the old pod and under the old FMP's `/.fmp/` (shapes). Other IRIs are left unchanged.
 */
export class IriRewriter {
  private readonly exact: Map<string, string>;
  private readonly prefixes: [string, string][];

  public constructor(from: PodLocation, to: PodLocation) {
    this.exact = new Map([ [ from.webId, to.webId ], [ from.server, to.server ] ]);
    this.prefixes = [ [ from.pod, to.pod ], [ `${from.server}.fmp/`, `${to.server}.fmp/` ] ];
  }

  /** The IRI at the new home, or the same IRI when it does not point into the old one. */
  public rewriteIri(iri: string): string {
    const exact = this.exact.get(iri);
    if (exact !== undefined) {
      return exact;
    }
    for (const [ from, to ] of this.prefixes) {
      if (iri.startsWith(from)) {
        return `${to}${iri.slice(from.length)}`;
      }
    }
    return iri;
  }

  /** New quads with every named node (and literal datatype) rewritten; the input is not modified. */
  public rewriteQuads(quads: readonly Quad[]): Quad[] {
    return quads.map((quad): Quad => DataFactory.quad(
      this.rewriteTerm(quad.subject) as Quad['subject'],
      this.rewriteTerm(quad.predicate) as Quad['predicate'],
      this.rewriteTerm(quad.object) as Quad['object'],
      this.rewriteTerm(quad.graph) as Quad['graph'],
    ));
  }

  /**
   * A JSON-LD document with every string value that is an IRI into the old home rewritten (ids, and IRIs in
   * contexts); keys and other strings are left alone. The input is not modified.
   */
  public rewriteJson(value: unknown): unknown {
    if (typeof value === 'string') {
      return this.rewriteIri(value);
    }
    if (Array.isArray(value)) {
      return value.map((item): unknown => this.rewriteJson(item));
    }
    if (value && typeof value === 'object') {
      return Object.fromEntries(Object.entries(value).map(([ key, item ]): [string, unknown] => [ key, this.rewriteJson(item) ]));
    }
    return value;
  }

  private rewriteTerm(term: Term): Term {
    if (term.termType === 'NamedNode') {
      const iri = this.rewriteIri(term.value);
      return iri === term.value ? term : DataFactory.namedNode(iri);
    }
    if (term.termType === 'Literal' && !term.language) {
      const datatype = this.rewriteIri(term.datatype.value);
      return datatype === term.datatype.value ? term : DataFactory.literal(term.value, DataFactory.namedNode(datatype));
    }
    return term;
  }
}
