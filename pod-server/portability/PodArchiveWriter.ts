import { createHash, randomUUID } from 'node:crypto';
import { createReadStream, createWriteStream } from 'node:fs';
import type { WriteStream } from 'node:fs';
import { once } from 'node:events';
import { mkdir, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { finished, pipeline } from 'node:stream/promises';
import type { Quad } from '@rdfjs/types';
import { getLoggerFor } from '@solid/community-server';
import type { Pack } from 'tar-stream';
import { quadsToTurtle } from '../../shapes/access/podIo';
import { parseRdf } from '../../shapes/parseRdf';
import type { ArchiveManifest, EntryKind, ManifestEntry } from './archiveFormat';
import { ARCHIVE_FORMAT, ARCHIVE_VERSION, DUMP_ENTRY, MANIFEST_ENTRY, PAX_CONTENT_TYPE, PAX_SOURCE_POD, resourceEntryName }
  from './archiveFormat';
import { ArchiveError } from './ArchiveError';
import { dumpQuads } from './dumpQuads';
import type { PodLocation } from './IriRewriter';
import type { ExportedResource, PodSource } from './PodSource';
import type { PodResource } from './PodWalker';
import { isRdfMediaType } from './rdfMediaType';

/** How many resources are read ahead of the one being written. */
const READ_AHEAD = 8;

/**
 * Writes a pod into a tar archive (see the README's "Export and import"): every resource with its `.acl` and
 * `.meta`, then `dump.nq`, then `manifest.json`. Holds one resource at a time; tar needs each entry's size up front,
 * so the dump is written to a temporary file in the state folder while the resources go into the archive, then
 * copied into it (each resource is read once).
 */
export class PodArchiveWriter {
  protected readonly logger = getLoggerFor(this);

  /**
   * @param walker - Lists and reads the pod.
   * @param stateFolder - The FMP's state folder; the dump is staged in `<state>/export-staging/` during an export.
   */
  public constructor(private readonly walker: PodSource, private readonly stateFolder: string) {}

  /** Every container and document of the pod, in archive order (for the count header). */
  public async list(podRoot: string): Promise<PodResource[]> {
    const resources: PodResource[] = [];
    for await (const resource of this.walker.walk(podRoot)) {
      resources.push(resource);
    }
    return resources;
  }

  /** Writes `resources` of `source` into `pack` (not finalized) and returns the manifest it wrote last. */
  public async write(source: PodLocation, resources: PodResource[], pack: Pack): Promise<ArchiveManifest> {
    const staging = join(this.stateFolder, 'export-staging');
    await mkdir(staging, { recursive: true });
    const dumpPath = join(staging, `${randomUUID()}.nq`);
    const dumpFile = createWriteStream(dumpPath, { mode: 0o600 });
    // A failed disk write is reported by `writeChunk` or `finished` below and fails the export, not the process.
    dumpFile.on('error', (): void => undefined);
    try {
      const entries: ManifestEntry[] = [];
      const dumpHash = createHash('sha256');
      let dumpSize = 0;
      let dumpCount = 0;
      const addToDump = async(url: string, contentType: string, bytes: Buffer): Promise<void> => {
        const text = await this.dumpText(url, contentType, `r${dumpCount}`, bytes);
        if (text !== undefined) {
          dumpCount += 1;
          const chunk = Buffer.from(text);
          dumpSize += chunk.length;
          dumpHash.update(chunk);
          await writeChunk(dumpFile, chunk);
        }
      };
      // 1. Each resource, then its metadata and ACL; the RDF also goes into the staged dump.
      const reads = this.readAhead(resources);
      for (const resource of resources) {
        const name = resourceEntryName(resource.path);
        const stored = await reads.next();
        if (resource.container) {
          entries.push(await addEntry(pack, name, 'container', stored.bytes, undefined,
            resource.path === '' ? { [PAX_SOURCE_POD]: source.pod } : undefined));
        } else {
          const contentType = stored.contentType ?? 'application/octet-stream';
          entries.push(await addEntry(pack, name, 'document', stored.bytes, contentType, { [PAX_CONTENT_TYPE]: contentType }));
          if (isRdfMediaType(stored.contentType)) {
            await addToDump(resource.url, stored.contentType!, stored.bytes);
          }
        }
        if (stored.metadata.length > 0) {
          const turtle = Buffer.from(quadsToTurtle(stored.metadata as Quad[]));
          entries.push(await addEntry(pack, `${name}.meta`, 'meta', turtle, 'text/turtle'));
        }
        if (stored.acl) {
          entries.push(await addEntry(pack, `${name}.acl`, 'acl', stored.acl, 'text/turtle'));
          await addToDump(`${resource.url}.acl`, 'text/turtle', stored.acl);
        }
      }
      // 2. The dump, copied from its staged file.
      dumpFile.end();
      await finished(dumpFile).catch((error: Error): never => {
        throw new ArchiveError(500, `Could not stage ${DUMP_ENTRY}: ${error.message}`, DUMP_ENTRY, { cause: error });
      });
      await this.writeDump(pack, dumpPath, dumpSize);
      entries.push({ path: DUMP_ENTRY, kind: 'dump', contentType: 'application/n-quads', size: dumpSize, sha256: dumpHash.digest('hex') });
      // 3. The manifest, last: only now are all checksums known.
      const manifest: ArchiveManifest = {
        format: ARCHIVE_FORMAT,
        version: ARCHIVE_VERSION,
        sourcePod: source.pod,
        sourceWebId: source.webId,
        sourceServer: source.server,
        exportedAt: new Date().toISOString(),
        resourceCount: resources.length,
        entries,
      };
      await addEntry(pack, MANIFEST_ENTRY, 'document', Buffer.from(JSON.stringify(manifest, null, 1)));
      return manifest;
    } finally {
      dumpFile.destroy();
      await rm(dumpPath, { force: true });
    }
  }

  /**
   * Reads `resources` in order, up to `READ_AHEAD` of them at a time, so that waiting on locks and disk overlaps
   * with writing the archive; at most that many resources are held in memory.
   */
  private readAhead(resources: PodResource[]): { next: () => Promise<ExportedResource> } {
    const pending: Promise<ExportedResource>[] = [];
    let started = 0;
    const fill = (): void => {
      while (pending.length < READ_AHEAD && started < resources.length) {
        const read = this.walker.readForExport(resources[started]);
        // Awaited in turn by `next`; this only keeps a failure ahead of it from being reported as unhandled.
        read.catch((): void => undefined);
        pending.push(read);
        started += 1;
      }
    };
    return {
      next: async(): Promise<ExportedResource> => {
        fill();
        const read = pending.shift()!;
        fill();
        return read;
      },
    };
  }

  private async writeDump(pack: Pack, dumpPath: string, size: number): Promise<void> {
    let finish!: (error?: Error | null) => void;
    const done = new Promise<void>((resolve, reject): void => {
      finish = (error?: Error | null): void => error ?
        reject(new ArchiveError(500, `Could not write ${DUMP_ENTRY}: ${error.message}`, DUMP_ENTRY, { cause: error })) :
        resolve();
    });
    const sink = pack.entry({ name: DUMP_ENTRY, size, mode: 0o644, mtime: new Date() }, (error?: Error | null): void => finish(error));
    await Promise.all([ pipeline(createReadStream(dumpPath), sink), done ]);
  }

  /** The resource's dump lines, or undefined (and a warning) when its stored RDF does not parse. */
  private async dumpText(url: string, contentType: string, prefix: string, bytes: Buffer): Promise<string | undefined> {
    try {
      return dumpQuads(await parseRdf(bytes.toString('utf8'), contentType, url), url, prefix);
    } catch (error: unknown) {
      this.logger.warn(`Left ${url} out of ${DUMP_ENTRY}: ${(error as Error).message}`);
      return undefined;
    }
  }
}

/** Writes to the staged dump, waiting when its buffer is full. */
async function writeChunk(file: WriteStream, chunk: Buffer): Promise<void> {
  if (file.errored) {
    throw file.errored;
  }
  if (!file.write(chunk)) {
    await once(file, 'drain');
  }
}

/**
 * Adds one buffered entry to the pack, with `pax` records if given, once the pack has taken it (backpressure), and
 * returns its manifest line.
 */
async function addEntry(pack: Pack, name: string, kind: EntryKind, bytes: Buffer, contentType?: string,
  pax?: Record<string, string>): Promise<ManifestEntry> {
  const header: Parameters<Pack["entry"]>[0] = kind === 'container' ?
    { name, type: 'directory', mode: 0o755, mtime: new Date(), pax } :
    { name, size: bytes.length, mode: 0o644, mtime: new Date(), pax };
  await new Promise<void>((resolve, reject): void => {
    const callback = (error?: Error | null): void => error ? reject(error) : resolve();
    if (kind === 'container') {
      pack.entry(header, callback);
    } else {
      pack.entry(header, bytes, callback);
    }
  });
  return {
    path: name,
    kind,
    ...contentType ? { contentType } : {},
    size: bytes.length,
    sha256: createHash('sha256').update(bytes).digest('hex'),
  };
}
