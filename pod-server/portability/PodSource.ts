import type { PodResource, StoredResource } from './PodWalker';

/** A resource as the export needs it: as stored, plus the bytes of its ACL where it has one. */
export interface ExportedResource extends StoredResource {
  acl?: Buffer;
}

/** Lists and reads a pod for export; {@link PodWalker} goes through CSS's store, {@link FilePodWalker} to disk. */
export abstract class PodSource {
  /** Every container and document of the pod, depth first, each container before what it contains. */
  public abstract walk(podRoot: string): AsyncGenerator<PodResource>;

  /** A resource found by {@link walk}: its bytes (none for containers), media type, kept metadata and ACL. */
  public abstract readForExport(resource: PodResource): Promise<ExportedResource>;
}
