import type { Quad } from '@rdfjs/types';
import type { Representation, ResourceStore } from '@solid/community-server';
import {
  getLoggerFor, INTERNAL_QUADS, isContainerIdentifier, LDP, NotFoundHttpError, readableToQuads,
} from '@solid/community-server';
import { keptMetadata } from './keptMetadata';
import type { ExportedResource } from './PodSource';
import { PodSource } from './PodSource';

/** One resource found in a pod. */
export interface PodResource {
  url: string;
  /** Relative to the pod root: `''` for the root, `catalog/`, `catalog/carrots`. */
  path: string;
  container: boolean;
}

/** A resource as stored: its bytes (nothing for containers), media type, and the metadata a person or app set. */
export interface StoredResource {
  bytes: Buffer;
  contentType?: string;
  /** Stored metadata (the `.meta` description) minus what the server derives: types, dates, sizes, containment. */
  metadata: Quad[];
}

/** Lists and reads a pod's resources through CSS's resource store (below the auth layer), one at a time. */
export class PodWalker extends PodSource {
  protected readonly logger = getLoggerFor(this);

  /**
   * @param store - CSS's resource store (`urn:solid-server:default:ResourceStore`); no authorization is applied.
   */
  public constructor(private readonly store: ResourceStore) {
    super();
  }

  /** Every container and document of the pod, depth first, each container before what it contains. */
  public async* walk(podRoot: string): AsyncGenerator<PodResource> {
    const pending = [ podRoot ];
    while (pending.length > 0) {
      const url = pending.pop()!;
      const container = isContainerIdentifier({ path: url });
      yield { url, path: url.slice(podRoot.length), container };
      if (container) {
        // Reversed, so that popping visits children in listing order.
        pending.push(...(await this.listChildren(url)).sort().reverse());
      }
    }
  }

  /** The URLs a container contains (auxiliary resources are never listed by CSS). */
  public async listChildren(container: string): Promise<string[]> {
    const listing = await this.store.getRepresentation({ path: container }, { type: { [INTERNAL_QUADS]: 1 }});
    return (await readableToQuads(listing.data)).getObjects(container, LDP.contains, null).map((child): string => child.value);
  }

  /** A resource's stored bytes, media type and metadata; containers have no bytes. */
  public async read(url: string): Promise<StoredResource> {
    const container = isContainerIdentifier({ path: url });
    const representation = await this.store.getRepresentation({ path: url },
      container ? { type: { [INTERNAL_QUADS]: 1 }} : {});
    if (container) {
      // The listing is built from the container's own metadata plus its children's; only the former is kept.
      const quads = await readableToQuads(representation.data);
      const children = new Set(quads.getObjects(url, LDP.contains, null).map((child): string => child.value));
      return { bytes: Buffer.alloc(0), metadata: keptMetadata(representation.metadata.quads() as Quad[], children) };
    }
    return {
      bytes: await readBytes(representation),
      contentType: representation.metadata.contentType,
      metadata: keptMetadata(representation.metadata.quads() as Quad[], new Set()),
    };
  }

  public async readForExport(resource: PodResource): Promise<ExportedResource> {
    const stored = await this.read(resource.url);
    const acl = await this.readIfExists(`${resource.url}.acl`);
    return acl ? { ...stored, acl } : stored;
  }

  /** The bytes of an auxiliary resource such as `<url>.acl`, or undefined when there is none. */
  public async readIfExists(url: string): Promise<Buffer | undefined> {
    try {
      return await readBytes(await this.store.getRepresentation({ path: url }, {}));
    } catch (error: unknown) {
      if (NotFoundHttpError.isInstance(error)) {
        return undefined;
      }
      throw error;
    }
  }
}

async function readBytes(representation: Representation): Promise<Buffer> {
  // Events, not `for await`: Node's async iterator does not work on CSS's guarded file streams (it never ends).
  return new Promise<Buffer>((resolve, reject): void => {
    const chunks: Buffer[] = [];
    representation.data.on('data', (chunk: Buffer | string): void => {
      chunks.push(Buffer.isBuffer(chunk) ? chunk : Buffer.from(chunk));
    });
    representation.data.on('end', (): void => resolve(Buffer.concat(chunks)));
    representation.data.on('error', reject);
  });
}
