import type { FileIdentifierMapper, RepresentationMetadata, ResourceIdentifier, Size, SizeReporter } from '@solid/community-server';
import { isContainerIdentifier, UNIT_BYTES } from '@solid/community-server';
import type { PodSizeTotals } from '../../cluster/PodSizeTotals';
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
 * Either is off by at most what the writes under way at a pod's first walk wrote. The totals live in
 * {@link PodSizeTotals}: in Redis when several FMP processes serve the pods, so each counts every process's writes.
 */
export class PodSizeReporter implements SizeReporter<unknown> {
  /** Walks under way, so the first writes into a pod, in parallel, walk it once. */
  private readonly walks = new Map<string, Promise<number>>();
  /** Pods that changed while they were walked. */
  private readonly changedWhileWalked = new Set<string>();
  /** What the documents being written take before the write, so checking a write lists no folder. */
  private readonly replacing = new Map<string, number>();

  /**
   * @param mapper - CSS's `urn:solid-server:default:FileIdentifierMapper`, so each resource maps to its files as CSS maps it.
   * @param totals - Bytes below each pod root asked about so far.
   */
  public constructor(private readonly mapper: FileIdentifierMapper, private readonly totals: PodSizeTotals) {}

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
  public async findKnownTotal(path: string): Promise<number | undefined> {
    return this.totals.findFirst([ ...containersOf(path) ]);
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
      const containers = [ ...containersOf(identifier.path) ];
      const changed = new Set(await this.totals.addToKnown(containers, difference));
      for (const container of containers) {
        if (!changed.has(container) && this.walks.has(container)) {
          this.changedWhileWalked.add(container);
        }
      }
    }
  }

  /** Drops the known total of the pod at `path`: the next question walks it again. */
  public async forget(path: string): Promise<void> {
    this.walks.delete(path);
    await this.totals.forget(path);
  }

  private async getTotal(path: string): Promise<number> {
    const known = await this.totals.findFirst([ path ]) ?? await this.walks.get(path);
    if (known !== undefined) {
      return known;
    }
    const walk = this.walk(path);
    this.walks.set(path, walk);
    const total = await walk;
    // Unless forgotten meanwhile.
    if (this.walks.get(path) === walk) {
      this.walks.delete(path);
      await this.totals.setIfUnknown(path, total);
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
