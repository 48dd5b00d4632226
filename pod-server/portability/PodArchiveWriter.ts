import { createHash } from 'node:crypto';
import { once } from 'node:events';
import type { Quad } from '@rdfjs/types';
import { getLoggerFor } from '@solid/community-server';
import type { Pack } from 'tar-stream';
import { quadsToTurtle } from '../../shapes/access/podIo';
import { parseRdf } from '../../shapes/parseRdf';
import type { ArchiveManifest, EntryKind, ManifestEntry } from './archiveFormat';
import { ARCHIVE_FORMAT, ARCHIVE_VERSION, DUMP_ENTRY, MANIFEST_ENTRY, resourceEntryName } from './archiveFormat';
import { ArchiveError } from './ArchiveError';
import { dumpQuads } from './dumpQuads';
import type { PodLocation } from './IriRewriter';
import type { PodResource, PodWalker } from './PodWalker';
import { isRdfMediaType } from './rdfMediaType';

/** An RDF resource that goes into `dump.nq`, read again in the second pass. */
interface DumpSource {
  url: string;
  contentType: string;
  /** Blank node label prefix, unique in the dump. */
  prefix: string;
}

/**
 * Writes a pod into a tar archive (see the README's "Export and import"): every resource with its `.acl` and
 * `.meta`, then `dump.nq`, then `manifest.json`. Holds one resource at a time; tar needs each entry's size up front,
 * so the dump's size is summed in the first pass and its RDF is read and serialized again in a second.
 */
export class PodArchiveWriter {
  protected readonly logger = getLoggerFor(this);

  /** @param walker - Reads the pod through CSS's resource store. */
  public constructor(private readonly walker: PodWalker) {}

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
    const entries: ManifestEntry[] = [];
    const dump: DumpSource[] = [];
    const dumpHash = createHash('sha256');
    let dumpSize = 0;
    const addToDump = async(url: string, contentType: string, bytes: Buffer): Promise<void> => {
      const text = await this.dumpText({ url, contentType, prefix: `r${dump.length}` }, bytes);
      if (text !== undefined) {
        dump.push({ url, contentType, prefix: `r${dump.length}` });
        dumpSize += Buffer.byteLength(text);
        dumpHash.update(text);
      }
    };
    // 1. Each resource, then its metadata and ACL.
    for (const resource of resources) {
      const name = resourceEntryName(resource.path);
      const stored = await this.walker.read(resource.url);
      if (resource.container) {
        entries.push(await addEntry(pack, name, 'container', stored.bytes));
      } else {
        entries.push(await addEntry(pack, name, 'document', stored.bytes, stored.contentType ?? 'application/octet-stream'));
        if (isRdfMediaType(stored.contentType)) {
          await addToDump(resource.url, stored.contentType!, stored.bytes);
        }
      }
      if (stored.metadata.length > 0) {
        const turtle = Buffer.from(quadsToTurtle(stored.metadata as Quad[]));
        entries.push(await addEntry(pack, `${name}.meta`, 'meta', turtle, 'text/turtle'));
      }
      const acl = await this.walker.readIfExists(`${resource.url}.acl`);
      if (acl) {
        entries.push(await addEntry(pack, `${name}.acl`, 'acl', acl, 'text/turtle'));
        await addToDump(`${resource.url}.acl`, 'text/turtle', acl);
      }
    }
    // 2. The dump, from a second read of the RDF resources.
    await this.writeDump(pack, dump, dumpSize);
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
  }

  private async writeDump(pack: Pack, dump: DumpSource[], size: number): Promise<void> {
    let written = 0;
    let finish!: (error?: Error | null) => void;
    const done = new Promise<void>((resolve, reject): void => {
      finish = (error?: Error | null): void => error ?
        reject(new ArchiveError(500, `The pod changed during the export (${DUMP_ENTRY}); export again.`, DUMP_ENTRY, { cause: error })) :
        resolve();
    });
    const sink = pack.entry({ name: DUMP_ENTRY, size, mode: 0o644, mtime: new Date() }, (error?: Error | null): void => finish(error));
    for (const source of dump) {
      const bytes = source.url.endsWith('.acl') ?
        await this.walker.readIfExists(source.url) ?? Buffer.alloc(0) :
        (await this.walker.read(source.url)).bytes;
      const chunk = Buffer.from(await this.dumpText(source, bytes) ?? '');
      written += chunk.length;
      if (written > size) {
        break;
      }
      if (!sink.write(chunk)) {
        await once(sink as unknown as NodeJS.EventEmitter, 'drain');
      }
    }
    sink.end(null);
    await done;
  }

  /** The resource's dump lines, or undefined (and a warning) when its stored RDF does not parse. */
  private async dumpText(source: DumpSource, bytes: Buffer): Promise<string | undefined> {
    try {
      return dumpQuads(await parseRdf(bytes.toString('utf8'), source.contentType, source.url), source.url, source.prefix);
    } catch (error: unknown) {
      this.logger.warn(`Left ${source.url} out of ${DUMP_ENTRY}: ${(error as Error).message}`);
      return undefined;
    }
  }
}

/** Adds one buffered entry to the pack, once the pack has taken it (backpressure), and returns its manifest line. */
async function addEntry(pack: Pack, name: string, kind: EntryKind, bytes: Buffer, contentType?: string): Promise<ManifestEntry> {
  const header: Parameters<Pack["entry"]>[0] = kind === 'container' ?
    { name, type: 'directory', mode: 0o755, mtime: new Date() } :
    { name, size: bytes.length, mode: 0o644, mtime: new Date() };
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
