import type { DataAccessor, IdentifierGenerator, RepresentationMetadata, ResourceIdentifier } from '@solid/community-server';
import { isContainerIdentifier, PassthroughDataAccessor, SOLID_META } from '@solid/community-server';
import { DataFactory } from 'n3';
import type { ContainerKind } from '../../shapes/ContainerKind';
import { containerKindOfPath } from '../../shapes/containerKindOfPath';

const CONSTRAINED_BY = DataFactory.namedNode('http://www.w3.org/ns/ldp#constrainedBy');
const TITLE = DataFactory.namedNode('http://purl.org/dc/terms/title');

/**
 * Gives every container in or below a pod's `catalog/`, `land/`, `logs/`, `orders/` and `profile/` its
 * `ldp:constrainedBy <…/.fmp/shapes/<kind>>` (which also becomes a `Link` header), and the top one its
 * `dc:title "<kind>"` unless it has another, whatever its stored `.meta` holds (or lost). The shapes follow from the path
 * (as `RdfValidatingStore` applies them), so the description does too: no write, parallel or not, can lose it.
 */
export class ConstrainedContainerAccessor extends PassthroughDataAccessor {
  /**
   * @param accessor - The accessor that reads and writes.
   * @param baseUrl - The server's base URL; shapes are served under `<baseUrl>.fmp/shapes/`.
   * @param identifierGenerator - Finds the pod a container is in (`extractPod`).
   */
  public constructor(
    accessor: DataAccessor,
    private readonly baseUrl: string,
    private readonly identifierGenerator: IdentifierGenerator,
  ) {
    super(accessor);
  }

  public async getMetadata(identifier: ResourceIdentifier): Promise<RepresentationMetadata> {
    const metadata = await super.getMetadata(identifier);
    if (!isContainerIdentifier(identifier)) {
      return metadata;
    }
    const place = this.constrainedPlaceOf(identifier.path);
    if (place) {
      // As response metadata, which CSS never stores: what follows from the path stays derived.
      const graph = SOLID_META.terms.ResponseMetadata;
      const shapes = DataFactory.namedNode(`${this.baseUrl}.fmp/shapes/${place.kind}`);
      if (!metadata.has(CONSTRAINED_BY, shapes)) {
        metadata.add(CONSTRAINED_BY, shapes, graph);
      }
      if (place.isTop && metadata.getAll(TITLE).length === 0) {
        metadata.add(TITLE, DataFactory.literal(place.kind), graph);
      }
    }
    return metadata;
  }

  /** The shapes' kind of a container path, and whether it is the kind's own container (`catalog/`); else undefined. */
  private constrainedPlaceOf(path: string): { kind: ContainerKind; isTop: boolean } | undefined {
    let pod: string;
    try {
      pod = this.identifierGenerator.extractPod({ path }).path;
    } catch {
      // Not inside a pod (the server root).
      return undefined;
    }
    const podRelativePath = path.slice(pod.length);
    const kind = containerKindOfPath(podRelativePath);
    return kind ? { kind, isTop: podRelativePath === `${kind}/` } : undefined;
  }
}
