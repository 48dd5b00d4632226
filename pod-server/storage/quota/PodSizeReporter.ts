import type { FileIdentifierMapper, RepresentationMetadata, ResourceIdentifier, Size, SizeReporter } from '@solid/community-server';
import { isContainerIdentifier, UNIT_BYTES } from '@solid/community-server';
import { containersOf, sizeOf, sumFileSizes } from './fileSizes';

/** How often a pod is walked again, at most, because it changed while it was walked. */
const WALK_ATTEMPTS = 3;

/**
 * Which files of a resource a change touches: its `.meta` file only (container and metadata writes), the resource
 * (a document's data and `.meta` files), or everything below it (a container being deleted).
 */
export type ChangedPart = 'meta' | 'resource' | 'whole';

/** A change to a resource's files under way, and what they took before it. */
export interface SizeChange {
  identifier: ResourceIdentifier;
  contentType?: string;
  part: ChangedPart;
  beforeBytes: number;
}

/**
 * Sizes of a file-backed pod's resources, in bytes of the files CSS stores for them: documents, `.acl` and `.meta`
 * files, not folder entries (whose size depends on the file system). CSS's `FileSizeReporter` walks the whole pod for
 * every quota check; this one walks a pod once, the first time its total is asked for, and then keeps the total
 * right by the changes {@link PodSizeTrackingDataAccessor} reports around each write. Totals are asked for pod roots
 * only (by the quota strategy), so a container with a known total is a pod root.
 * Writes that go around CSS's data accessor (an import's `FilePodLoader`) call {@link forget} when done. A walk during
 * which a change ended (it may or may not have seen it) is done again, up to three times (then the last one is kept);
 * a change still under way when a walk ends is added to its total, which counts it twice if the walk saw it already.
 * Either is off by at most what the writes under way at a pod's first walk wrote.
 */
export class PodSizeReporter implements SizeReporter<unknown> {
  /** Bytes below each pod root asked about so far. */
  private readonly totals = new Map<string, number>();
  /** Walks under way, so the first writes into a pod, in parallel, walk it once. */
  private readonly walks = new Map<string, Promise<number>>();
  /** Pods that changed while they were walked. */
  private readonly changedWhileWalked = new Set<string>();
  /** What the documents being written take before the write, so checking a write lists no folder. */
  private readonly replacing = new Map<string, number>();

  /** @param mapper - CSS's `urn:solid-server:default:FileIdentifierMapper`, so each resource maps to its files as CSS maps it. */
  public constructor(private readonly mapper: FileIdentifierMapper) {}

  public getUnit(): string {
    return UNIT_BYTES;
  }

  /** A container's total (every file below it), or a document's data and metadata files. */
  public async getSize(identifier: ResourceIdentifier): Promise<Size> {
    const amount = isContainerIdentifier(identifier) ?
      await this.getTotal(identifier.path) :
      this.replacing.get(identifier.path) ?? await this.measure(identifier, 'resource');
    return { unit: UNIT_BYTES, amount };
  }

  /** Bytes of a chunk of a document being written (CSS's streams carry buffers or strings). */
  public async calculateChunkSize(chunk: unknown): Promise<number> {
    return Buffer.byteLength(chunk as Buffer | string);
  }

  /** The advertised `Content-Length`, as CSS's `FileSizeReporter` estimates. */
  public async estimateSize(metadata: RepresentationMetadata): Promise<number | undefined> {
    return metadata.contentLength;
  }

  /** The known total of the pod `path` is in (or is), without touching the disk; `undefined` if none is known yet. */
  public findKnownTotal(path: string): number | undefined {
    for (const container of containersOf(path)) {
      const total = this.totals.get(container);
      if (total !== undefined) {
        return total;
      }
    }
    return undefined;
  }

  /** Measures the files of `identifier` a change is about to touch; pass the result to {@link endChange} afterwards. */
  public async beginChange(identifier: ResourceIdentifier, part: ChangedPart, contentType?: string): Promise<SizeChange> {
    const beforeBytes = await this.measure(identifier, part, contentType);
    if (part === 'resource' && !isContainerIdentifier(identifier)) {
      this.replacing.set(identifier.path, beforeBytes);
    }
    return { identifier, contentType, part, beforeBytes };
  }

  /** Measures the files again once the change is done (or failed) and adds the difference to the known totals. */
  public async endChange(change: SizeChange): Promise<void> {
    const { identifier, part, contentType, beforeBytes } = change;
    if (part === 'resource') {
      this.replacing.delete(identifier.path);
    }
    const difference = await this.measure(identifier, part, contentType) - beforeBytes;
    if (difference !== 0) {
      for (const container of containersOf(identifier.path)) {
        const total = this.totals.get(container);
        if (total !== undefined) {
          this.totals.set(container, total + difference);
        } else if (this.walks.has(container)) {
          this.changedWhileWalked.add(container);
        }
      }
    }
  }

  /** Drops the known total of the pod at `path`: the next question walks it again. */
  public forget(path: string): void {
    this.totals.delete(path);
    this.walks.delete(path);
  }

  private async getTotal(path: string): Promise<number> {
    const known = this.totals.get(path) ?? await this.walks.get(path);
    if (known !== undefined) {
      return known;
    }
    const walk = this.walk(path);
    this.walks.set(path, walk);
    const total = await walk;
    // Unless forgotten meanwhile.
    if (this.walks.get(path) === walk) {
      this.walks.delete(path);
      this.totals.set(path, total);
    }
    return total;
  }

  /** The bytes below the container `path`, walked again if a change ended meanwhile. */
  private async walk(path: string): Promise<number> {
    const folder = (await this.mapper.mapUrlToFilePath({ path }, false)).filePath;
    let total = 0;
    for (let attempt = 0; attempt < WALK_ATTEMPTS; attempt += 1) {
      this.changedWhileWalked.delete(path);
      total = await sumFileSizes(folder);
      if (!this.changedWhileWalked.has(path)) {
        break;
      }
    }
    this.changedWhileWalked.delete(path);
    return total;
  }

  /** Bytes of the files of `identifier` that `part` names. */
  private async measure(identifier: ResourceIdentifier, part: ChangedPart, contentType?: string): Promise<number> {
    try {
      if (isContainerIdentifier(identifier) && part === 'whole') {
        return await sumFileSizes((await this.mapper.mapUrlToFilePath(identifier, false)).filePath);
      }
      // With its media type, the mapper names the `.meta` file without listing the folder.
      const meta = await sizeOf((await this.mapper.mapUrlToFilePath(identifier, true, 'text/turtle')).filePath) ?? 0;
      if (isContainerIdentifier(identifier) || part === 'meta') {
        return meta;
      }
      return meta + await this.measureDocument(identifier, contentType);
    } catch {
      // A URL CSS cannot map has no files.
      return 0;
    }
  }

  /** A document's data file: named by its media type if known, else found by listing its folder (as CSS does). */
  private async measureDocument(identifier: ResourceIdentifier, contentType?: string): Promise<number> {
    if (contentType) {
      const named = await sizeOf((await this.mapper.mapUrlToFilePath(identifier, false, contentType)).filePath);
      if (named !== undefined) {
        return named;
      }
    }
    return await sizeOf((await this.mapper.mapUrlToFilePath(identifier, false)).filePath) ?? 0;
  }
}
