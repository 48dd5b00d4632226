import type { Quad } from '@rdfjs/types';
import type { ContainerKind } from '../ContainerKind';

/** One resource of demo data: where it goes in the pod, which shapes apply, and its content. */
export interface DemoResource {
  /** Path relative to the pod root, e.g. `catalog/carrots-1kg`. */
  readonly path: string;
  readonly kind: ContainerKind;
  /** The content as quads (absolute IRIs under the pod URL). */
  readonly quads: readonly Quad[];
  /** The same content as Turtle, ready to PUT with `Content-Type: text/turtle`. */
  readonly turtle: string;
}
