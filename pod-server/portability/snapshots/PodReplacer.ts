import type { Quad } from '@rdfjs/types';
import type { ResourceStore } from '@solid/community-server';
import { BasicRepresentation, getLoggerFor, INTERNAL_QUADS } from '@solid/community-server';
import type { ArchiveManifest, ManifestEntry } from '../archiveFormat';
import { RESOURCES_PREFIX } from '../archiveFormat';
import { ArchiveError } from '../ArchiveError';
import type { StagedArchive } from '../ArchiveStager';
import type { IriRewriter } from '../IriRewriter';
import { writeArchiveEntry } from '../PodImporter';
import { deleteIfExists } from '../deleteIfExists';

/** What making a pod equal to an archive changed, in containers and documents. */
export interface ReplaceCounts {
  /** Removed: the archive does not hold them. */
  removed: number;
  /** Written back: missing, or different in bytes, media type, metadata or ACL. */
  restored: number;
  /** Already as in the archive. */
  unchanged: number;
}

/**
 * Makes a pod exactly what a staged archive holds, through CSS's resource store (so grant caches, notifications and
 * shapes follow every change): removes what the archive does not hold (deepest first, never the pod root), then
 * writes each entry that differs from the pod as it is now, which `current` (an archive manifest of the pod) describes.
 */
export class PodReplacer {
  protected readonly logger = getLoggerFor(this);

  /** @param store - CSS's resource store (`urn:solid-server:default:ResourceStore`); no authorization is applied. */
  public constructor(private readonly store: ResourceStore) {}

  /**
   * Replaces the pod at `podRoot` (described by `current`) with the `staged` archive. With a `rewriter`, RDF is
   * rewritten from the archive's home and every entry is written; without one the archive is of this very pod,
   * so entries whose SHA-256 matches are left alone and the rest are written byte for byte.
   * @throws {@link ArchiveError} naming the entry that could not be removed or written; the pod is then half done.
   */
  public async replace(podRoot: string, current: ArchiveManifest, staged: StagedArchive, target: ArchiveManifest,
    rewriter?: IriRewriter): Promise<ReplaceCounts> {
    const now = byPath(current);
    const wanted = byPath(target);
    const touched = new Set<string>();
    const counts: ReplaceCounts = { removed: 0, restored: 0, unchanged: 0 };
    // 1. Remove, children before their containers (the walk lists containers first). Removing a resource removes
    // its ACL and metadata too.
    for (const entry of [ ...current.entries ].reverse()) {
      const subject = subjectOf(entry.path);
      if (isResource(entry) && !wanted.has(entry.path) && entry.path !== RESOURCES_PREFIX) {
        await this.step(entry, async(): Promise<void> => deleteIfExists(this.store, urlOf(podRoot, entry.path)));
        counts.removed += 1;
      } else if (entry.kind === 'acl' && !wanted.has(entry.path) && wanted.has(subject)) {
        await this.step(entry, async(): Promise<void> => deleteIfExists(this.store, urlOf(podRoot, entry.path)));
        touched.add(subject);
      } else if (entry.kind === 'meta' && !wanted.has(entry.path) && wanted.get(subject)?.kind === 'container') {
        // Metadata set since, on a container the archive keeps: cleared (a document loses it when it is rewritten).
        await this.step(entry, async(): Promise<unknown> => this.store.setRepresentation({ path: urlOf(podRoot, entry.path) },
          new BasicRepresentation([] as Quad[], INTERNAL_QUADS)));
        touched.add(subject);
      }
    }
    // 2. Write what differs, in archive order: each resource before its metadata and ACL, containers before children.
    const rewritten = new Set<string>();
    for (const entry of target.entries) {
      if (!entry.path.startsWith(RESOURCES_PREFIX) || !this.differs(entry, now, wanted, rewritten, rewriter)) {
        continue;
      }
      await this.step(entry, async(): Promise<void> =>
        writeArchiveEntry(this.store, entry, staged, target, urlOf(podRoot, entry.path), rewriter));
      touched.add(subjectOf(entry.path));
      if (entry.kind === 'document') {
        rewritten.add(entry.path);
      }
    }
    for (const entry of target.entries) {
      if (isResource(entry)) {
        counts[touched.has(entry.path) || !now.has(entry.path) ? 'restored' : 'unchanged'] += 1;
      }
    }
    return counts;
  }

  /** Whether an archive entry must be written: it is missing or different now (always, when rewriting IRIs). */
  private differs(entry: ManifestEntry, now: Map<string, ManifestEntry>, wanted: Map<string, ManifestEntry>,
    rewritten: Set<string>, rewriter?: IriRewriter): boolean {
    const found = now.get(entry.path);
    if (entry.kind === 'container') {
      return !found;
    }
    if (rewriter || !found || found.sha256 !== entry.sha256 || found.contentType !== entry.contentType) {
      return true;
    }
    if (entry.kind === 'document') {
      // Writing a document replaces its metadata, so metadata set since is cleared by writing it again.
      return now.get(`${entry.path}.meta`)?.sha256 !== wanted.get(`${entry.path}.meta`)?.sha256;
    }
    return entry.kind === 'meta' && rewritten.has(subjectOf(entry.path));
  }

  /** Runs one change; a failure becomes an {@link ArchiveError} naming the entry, with the store's status if 4xx. */
  private async step(entry: ManifestEntry, change: () => Promise<unknown>): Promise<void> {
    try {
      await change();
    } catch (error: unknown) {
      const status = (error as { statusCode?: number }).statusCode;
      throw new ArchiveError(status && status >= 400 && status < 500 ? status : 500,
        `Entry ${entry.path} could not be written (${(error as Error).message.split('\n').join(' ')})`, entry.path, { cause: error });
    }
  }
}

/** The `resources/…` entries of a manifest by path. */
function byPath(manifest: ArchiveManifest): Map<string, ManifestEntry> {
  return new Map(manifest.entries.filter((entry): boolean => entry.path.startsWith(RESOURCES_PREFIX))
    .map((entry): [string, ManifestEntry] => [ entry.path, entry ]));
}

function isResource(entry: ManifestEntry): boolean {
  return entry.path.startsWith(RESOURCES_PREFIX) && (entry.kind === 'container' || entry.kind === 'document');
}

/** The entry of the resource an `.acl` or `.meta` entry belongs to (the entry itself for resources). */
function subjectOf(path: string): string {
  return path.replace(/\.(acl|meta)$/u, '');
}

function urlOf(podRoot: string, path: string): string {
  return `${podRoot}${path.slice(RESOURCES_PREFIX.length)}`;
}
