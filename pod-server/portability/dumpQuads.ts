import type { Quad, Term } from '@rdfjs/types';
import { DataFactory, Writer } from 'n3';

/**
 * The N-Quads lines of one resource for `dump.nq`: every quad moved into the graph named after the resource,
 * blank nodes renamed `<prefix>b<n>` in order of first use. Deterministic, so a second pass gives the same bytes
 * (the archive writer needs the dump's size before writing it), and labels never clash across resources.
 *
 * @param quads - The resource's quads, in document order.
 * @param graph - The resource URL.
 * @param prefix - A label prefix unique to the resource, e.g. `r42`.
 */
export function dumpQuads(quads: readonly Quad[], graph: string, prefix: string): string {
  const labels = new Map<string, Term>();
  const relabel = (term: Term): Term => {
    if (term.termType !== 'BlankNode') {
      return term;
    }
    let renamed = labels.get(term.value);
    if (!renamed) {
      renamed = DataFactory.blankNode(`${prefix}b${labels.size}`);
      labels.set(term.value, renamed);
    }
    return renamed;
  };
  const graphTerm = DataFactory.namedNode(graph);
  const writer = new Writer({ format: 'N-Quads' });
  return quads.map((quad): string => writer.quadToString(
    relabel(quad.subject) as Quad['subject'],
    quad.predicate,
    relabel(quad.object) as Quad['object'],
    graphTerm,
  )).join('');
}
