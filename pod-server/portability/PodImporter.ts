import { readFile } from 'node:fs/promises';
import type { Quad } from '@rdfjs/types';
import type { ActivityEmitter, ResourceStore } from '@solid/community-server';
import { BasicRepresentation, getLoggerFor, INTERNAL_QUADS } from '@solid/community-server';
import { DataFactory, Writer } from 'n3';
import { parseRdf } from '../../shapes/parseRdf';
import type { PodQuota } from '../storage/quota/PodQuota';
import type { ArchiveManifest, ManifestEntry } from './archiveFormat';
import { announceBulkWrite } from './announceBulkWrite';
import { podBytesOf, RESOURCES_PREFIX } from './archiveFormat';
import { ArchiveError } from './ArchiveError';
import type { StagedArchive } from './ArchiveStager';
import type { FilePodLoader } from './FilePodLoader';
import type { IriRewriter } from './IriRewriter';
import type { PodRestorer } from './PodRestorer';
import type { PodWalker } from './PodWalker';
import { mediaTypeOf } from './rdfMediaType';
import type { SeededPaths } from './SeededPaths';
import { rdfContentTypeOf, sourceUrlOf } from './StagedArchiveChecker';

const CONTENT_TYPE = DataFactory.namedNode('http://www.w3.org/ns/ma-ont#format');
/** How many documents an import writes at once: CSS's file backend and locks are mostly waiting on the disk. */
const PARALLEL_WRITES = 8;
/** Grants live below here: they are written through the store, whose change events keep the grant caches right. */
const CONSENT_PATH = 'consent/';
const N3_WRITER_FORMATS: Readonly<Record<string, string>> = { 'text/turtle': 'Turtle', 'application/n-triples': 'N-Triples',
  'application/n-quads': 'N-Quads' };

/**
 * Commits a checked, staged archive into an empty pod, rewriting the old pod's IRIs to the new ones. Containers,
 * `.acl` and `.meta` entries, seeded resources and grants go through CSS's resource store (parsed and shape-checked
 * like any other write); other documents whose media type a file name carries are written straight to their files
 * by the {@link FilePodLoader}, the {@link StagedArchiveChecker} having parsed and shape-checked them already. All or
 * nothing: on any failure the pod is put back as it was and the error names the entry. An archive larger than the pod
 * quota is refused before anything is written, and an import that ends up larger (rewritten IRIs) is undone.
 */
export class PodImporter {
  protected readonly logger = getLoggerFor(this);

  /**
   * @param store - CSS's resource store (`urn:solid-server:default:ResourceStore`): writes are announced, so grant caches follow.
   * @param walker - Lists the pod.
   * @param seeded - What sign-up seeds; a pod holding nothing else is empty.
   * @param restorer - Puts the pod back when a write fails.
   * @param loader - Writes documents straight to CSS's files, into a pod that held nothing but seeded resources.
   * @param emitter - CSS's resource store, to announce the containers written in bulk (no notification otherwise).
   * @param quota - The pod quota, checked up front.
   */
  public constructor(
    private readonly store: ResourceStore,
    private readonly walker: PodWalker,
    private readonly seeded: SeededPaths,
    private readonly restorer: PodRestorer,
    private readonly loader: FilePodLoader,
    private readonly emitter: ActivityEmitter,
    private readonly quota: PodQuota,
  ) {}

  /** Throws 409 when the pod holds a container or document sign-up did not seed. */
  public async requireEmpty(podRoot: string): Promise<void> {
    const extra = await this.findUnseeded(podRoot, 3);
    if (extra.length > 0) {
      throw new ArchiveError(409, `The pod ${podRoot} is not empty (it holds ${extra.join(', ')}${extra.length === 3 ? ', …' : ''}); ` +
        'import only into a pod that holds nothing but what sign-up created.');
    }
  }

  /**
   * Writes every entry of the archive into `podRoot`; returns how many resources were written. Documents (each with
   * its `.meta` and `.acl`) are written up to {@link PARALLEL_WRITES} at a time; containers one at a time, once
   * everything before them is written, so CSS never creates a container twice.
   */
  public async commit(staged: StagedArchive, manifest: ArchiveManifest, podRoot: string, rewriter: IriRewriter): Promise<number> {
    const excess = await this.quota.findExcess(podRoot, podBytesOf(manifest), 'imported');
    if (excess) {
      throw new ArchiveError(413, `${excess}; nothing was imported.`);
    }
    return this.quota.whileCheckedUpFront(podRoot, async(): Promise<number> =>
      this.commitChecked(staged, manifest, podRoot, rewriter));
  }

  /** {@link commit}, once the archive is known to fit in the pod quota. */
  private async commitChecked(staged: StagedArchive, manifest: ArchiveManifest, podRoot: string, rewriter: IriRewriter):
  Promise<number> {
    const point = await this.restorer.capture(podRoot);
    const seeded = await this.seeded.list();
    // The containers known to exist: the pod's own, then each one the import creates (before anything inside it).
    const containers = new Set<string>();
    // Straight to the files only in a pod holding nothing but seeded resources (not when resuming an interrupted
    // import): then no document written that way can be stored already, under another media type.
    const direct = (await this.findUnseeded(podRoot, 1, containers)).length === 0;
    const writeEntry = async(entry: ManifestEntry): Promise<void> => {
      const path = entry.path.slice(RESOURCES_PREFIX.length);
      const url = `${podRoot}${path}`;
      if (direct && entry.kind === 'document' && !seeded.has(path) && !path.startsWith(CONSENT_PATH) &&
        containers.has(path.slice(0, path.lastIndexOf('/') + 1)) && await this.loader.accepts(url, entry.contentType!)) {
        await this.loader.writeDocument(url, entry.contentType!, await readDocumentEntry(entry, staged, manifest, rewriter));
        return;
      }
      await writeArchiveEntry(this.store, entry, staged, manifest, url, rewriter);
      if (entry.kind === 'container') {
        containers.add(path);
      }
    };
    const writing = new Set<Promise<void>>();
    let failure: { entry: ManifestEntry; error: unknown } | undefined;
    const writeUnit = async(unit: ManifestEntry[]): Promise<void> => {
      for (const entry of unit) {
        try {
          await writeEntry(entry);
        } catch (error: unknown) {
          failure ??= { entry, error };
          return;
        }
      }
    };
    let written = 0;
    for (const unit of groupByResource(manifest.entries)) {
      if (unit[0].kind === 'container' || writing.size >= PARALLEL_WRITES) {
        await (unit[0].kind === 'container' ? Promise.all(writing) : Promise.race(writing));
      }
      if (failure) {
        break;
      }
      written += 1;
      if (unit[0].kind === 'container') {
        await writeUnit(unit);
      } else {
        const task = writeUnit(unit).finally((): void => {
          writing.delete(task);
        });
        writing.add(task);
      }
    }
    await Promise.all(writing);
    // Documents written straight to the files went around the size tracking: the pod is measured again.
    await this.quota.forget(podRoot);
    const overrun = failure ? undefined : await this.quota.findOverrun(podRoot);
    if (overrun) {
      this.logger.warn(`Import into ${podRoot} went over the pod quota; putting the pod back`);
      await this.restorer.restore(point);
      await this.quota.forget(podRoot);
      throw new ArchiveError(413, `${overrun} with the archive imported (its IRIs rewritten for this pod); nothing was ` +
        'imported, the pod is as it was.');
    }
    if (failure) {
      const { entry, error } = failure;
      this.logger.warn(`Import into ${podRoot} failed at ${entry.path}; putting the pod back: ${(error as Error).message}`);
      await this.restorer.restore(point);
      await this.quota.forget(podRoot);
      const status = (error as { statusCode?: number }).statusCode;
      throw new ArchiveError(status && status >= 400 && status < 500 ? status : 500,
        `Entry ${entry.path} could not be written (${(error as Error).message.split('\n').join(' ')}); nothing was imported, ` +
        'the pod is as it was.', entry.path, { cause: error });
    }
    announceBulkWrite(this.emitter, podRoot, manifest);
    return written;
  }

  /** Up to `limit` paths in the pod that sign-up did not seed; adds the paths of the pod's containers to `containers`. */
  private async findUnseeded(podRoot: string, limit: number, containers = new Set<string>()): Promise<string[]> {
    const seeded = await this.seeded.list();
    const extra: string[] = [];
    for await (const resource of this.walker.walk(podRoot)) {
      if (resource.container) {
        containers.add(resource.path);
      }
      if (!seeded.has(resource.path)) {
        extra.push(resource.path);
        if (extra.length === limit) {
          break;
        }
      }
    }
    return extra;
  }
}

/** The `resources/…` entries grouped per resource: a container or document followed by its `.meta` and `.acl`. */
function groupByResource(entries: ManifestEntry[]): ManifestEntry[][] {
  const units: ManifestEntry[][] = [];
  for (const entry of entries) {
    if (!entry.path.startsWith(RESOURCES_PREFIX)) {
      continue;
    }
    if (entry.kind === 'container' || entry.kind === 'document' || units.length === 0) {
      units.push([ entry ]);
    } else {
      units.at(-1)!.push(entry);
    }
  }
  return units;
}

/**
 * Writes one `resources/…` entry of a staged archive to `url` through `store`: a container is created if it is
 * missing, a `.meta` replaces the resource's metadata (keeping a media type the file backend records there), documents
 * and ACLs replace what is there. RDF has the old home's IRIs rewritten by `rewriter`; without one (an archive of
 * this very pod) every entry is written byte for byte.
 */
export async function writeArchiveEntry(store: ResourceStore, entry: ManifestEntry, staged: StagedArchive,
  manifest: ArchiveManifest, url: string, rewriter?: IriRewriter): Promise<void> {
  if (entry.kind === 'container') {
    if (!await store.hasResource({ path: url })) {
      await store.setRepresentation({ path: url }, new BasicRepresentation([], INTERNAL_QUADS));
    }
    return;
  }
  if (entry.kind === 'meta') {
    const bytes = await readFile(staged.entries.get(entry.path)!.file!);
    const parsed = await parseRdf(bytes.toString('utf8'), 'text/turtle', sourceUrlOf(entry.path, manifest));
    const quads = rewriter ? rewriter.rewriteQuads(parsed) : [ ...parsed ];
    const subject = url.slice(0, -'.meta'.length);
    const document = manifest.entries.find((other): boolean => other.path === entry.path.slice(0, -'.meta'.length));
    if (document?.contentType) {
      // Keeps the media type where the file backend records it in the metadata (types it cannot map to an extension).
      quads.push(DataFactory.quad(DataFactory.namedNode(subject), CONTENT_TYPE, DataFactory.literal(document.contentType)));
    }
    await store.setRepresentation({ path: url }, new BasicRepresentation(quads as Quad[], INTERNAL_QUADS));
    return;
  }
  const contentType = entry.kind === 'acl' ? 'text/turtle' : entry.contentType!;
  const body = await readDocumentEntry(entry, staged, manifest, rewriter);
  await store.setRepresentation({ path: url }, new BasicRepresentation(typeof body === 'string' ? body : [ body ], contentType));
}

/** The body to write for a document or `.acl` entry: RDF with the old home's IRIs rewritten, anything else as is. */
async function readDocumentEntry(entry: ManifestEntry, staged: StagedArchive, manifest: ArchiveManifest,
  rewriter?: IriRewriter): Promise<Buffer | string> {
  const bytes = await readFile(staged.entries.get(entry.path)!.file!);
  const contentType = rdfContentTypeOf(entry);
  return rewriter && contentType ? rewriteRdf(bytes, contentType, sourceUrlOf(entry.path, manifest), rewriter) : bytes;
}

/** The RDF document with the old home's IRIs rewritten, in its own syntax. */
async function rewriteRdf(bytes: Buffer, contentType: string, sourceUrl: string, rewriter: IriRewriter): Promise<string> {
  const mediaType = mediaTypeOf(contentType);
  const text = bytes.toString('utf8');
  if (!(mediaType in N3_WRITER_FORMATS)) {
    // JSON-LD: its IRIs are strings in the JSON; relative ones follow the document to its new URL by themselves.
    return JSON.stringify(rewriter.rewriteJson(JSON.parse(text)), null, 1);
  }
  const quads = rewriter.rewriteQuads(await parseRdf(text, contentType, sourceUrl));
  return new Promise<string>((resolve, reject): void => {
    const writer = new Writer({ format: N3_WRITER_FORMATS[mediaType] });
    writer.addQuads(quads as Quad[]);
    writer.end((error: Error | null, result: string): void => error ? reject(error) : resolve(result));
  });
}
