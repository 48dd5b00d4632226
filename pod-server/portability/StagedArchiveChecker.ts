import { readFile } from 'node:fs/promises';
import type { Quad } from '@rdfjs/types';
import { containerKindOfPath } from '../../shapes/containerKindOfPath';
import { formatViolations } from '../../shapes/formatViolations';
import { parseRdf } from '../../shapes/parseRdf';
import { RdfSyntaxError } from '../../shapes/RdfSyntaxError';
import { validateDataset } from '../../shapes/validateDataset';
import type { ArchiveManifest, EntryKind, ManifestEntry } from './archiveFormat';
import { cutShort, DUMP_ENTRY, kindOfResourceEntry, MANIFEST_ENTRY, parseManifest, RESOURCES_PREFIX } from './archiveFormat';
import { ArchiveError } from './ArchiveError';
import type { EarlyEntryCheck, StagedArchive, StagedEntry } from './ArchiveStager';
import { isRdfMediaType } from './rdfMediaType';

/**
 * Checks a staged archive against its manifest before anything is written to a pod: the manifest is well-formed,
 * lists every entry exactly once with the right kind, size and SHA-256, every RDF entry parses, and every RDF document
 * in a constrained container (`catalog/`, …) conforms to its shapes, as the pod's store would require of it.
 * As an {@link EarlyEntryCheck}, it does the RDF checks while the archive is still arriving.
 */
export class StagedArchiveChecker implements EarlyEntryCheck {
  /**
   * @param maxRdfBytes - The largest RDF document accepted, as the pod's store limits RDF bodies (413 beyond).
   */
  public constructor(private readonly maxRdfBytes = 10_000_000) {}

  /**
   * The manifest, once everything agrees with it; throws an {@link ArchiveError} naming the first bad entry: 400 for
   * a damaged archive or malformed RDF, 413 for an RDF document too large to parse, 422 for data breaking its
   * container's shapes. `shapes: false` skips the shapes, for putting back a pod exactly as it was.
   */
  public async check(staged: StagedArchive, options: { shapes?: boolean } = {}): Promise<ArchiveManifest> {
    if (staged.manifestText === undefined) {
      throw new ArchiveError(400, `The archive has no ${MANIFEST_ENTRY} (it may be truncated or not an FMP pod archive).`,
        MANIFEST_ENTRY);
    }
    const manifest = parseManifest(staged.manifestText);
    const listed = new Set<string>();
    for (const entry of manifest.entries) {
      this.checkEntry(entry, staged);
      listed.add(entry.path);
    }
    for (const name of staged.entries.keys()) {
      if (!listed.has(name)) {
        throw new ArchiveError(400, `Entry ${cutShort(name)} is not listed in ${MANIFEST_ENTRY}.`, name);
      }
    }
    // Parsing and shapes last: the slowest checks, only worth doing on an archive that is whole.
    for (const entry of manifest.entries) {
      await this.checkRdf(entry, manifest, staged, options.shapes ?? true);
    }
    return manifest;
  }

  private checkEntry(entry: ManifestEntry, staged: StagedArchive): void {
    const found = staged.entries.get(entry.path);
    if (!found) {
      throw new ArchiveError(400, `Entry ${cutShort(entry.path)} is listed in ${MANIFEST_ENTRY} but missing from the archive.`, entry.path);
    }
    const expectedKind = entry.path === DUMP_ENTRY ? 'dump' : kindOfResourceEntry(entry.path);
    if (entry.kind !== expectedKind || found.directory !== (expectedKind === 'container')) {
      throw new ArchiveError(400, `Entry ${cutShort(entry.path)} is listed as a ${entry.kind} but is a ${found.directory ? 'folder' : 'file'} ` +
        `named like a ${expectedKind}.`, entry.path);
    }
    if (found.size !== entry.size) {
      throw new ArchiveError(400, `Entry ${cutShort(entry.path)} is ${found.size} bytes, but ${MANIFEST_ENTRY} says ${entry.size}.`, entry.path);
    }
    if (found.sha256 !== entry.sha256) {
      throw new ArchiveError(400, `Entry ${cutShort(entry.path)} does not match its SHA-256 in ${MANIFEST_ENTRY} (damaged or altered).`,
        entry.path);
    }
  }

  /**
   * Parses and shape-checks one RDF entry as soon as it is staged, under the media type and pod URL the archive's pax
   * headers declare, and keeps the outcome on the entry: {@link check} then only confirms them against the manifest,
   * so the slowest checks overlap with the upload. Entries without those headers are left for {@link check}.
   */
  public async checkEarly(entry: StagedEntry, staged: StagedArchive, bytes: Buffer): Promise<void> {
    if (!this.wantsEarly(entry.name, entry.declaredContentType, staged)) {
      return;
    }
    const kind = kindOfResourceEntry(entry.name);
    const contentType = rdfContentTypeOf({ kind, contentType: entry.declaredContentType })!;
    const sourceUrl = sourceUrlOf(entry.name, { sourcePod: staged.declaredSourcePod! });
    const as = checkedAs(contentType, sourceUrl);
    try {
      await this.checkRdfEntry(entry.name, kind, contentType, entry, sourceUrl, true, bytes);
      entry.earlyCheck = { as };
    } catch (error: unknown) {
      if (!ArchiveError.isInstance(error)) {
        throw error;
      }
      entry.earlyCheck = { as, error };
    }
  }

  /** Whether {@link checkEarly} can check the entry: RDF (as its pax header says), with the pod URL declared. */
  public wantsEarly(name: string, declaredContentType: string | undefined, staged: StagedArchive): boolean {
    return name.startsWith(RESOURCES_PREFIX) && staged.declaredSourcePod !== undefined &&
      rdfContentTypeOf({ kind: kindOfResourceEntry(name), contentType: declaredContentType }) !== undefined;
  }

  private async checkRdf(entry: ManifestEntry, manifest: ArchiveManifest, staged: StagedArchive, shapes: boolean): Promise<void> {
    const contentType = rdfContentTypeOf(entry);
    if (!contentType) {
      return;
    }
    const found = staged.entries.get(entry.path)!;
    const sourceUrl = sourceUrlOf(entry.path, manifest);
    if (shapes && found.earlyCheck?.as === checkedAs(contentType, sourceUrl)) {
      if (found.earlyCheck.error) {
        throw found.earlyCheck.error;
      }
      return;
    }
    await this.checkRdfEntry(entry.path, entry.kind, contentType, found, sourceUrl, shapes);
  }

  /** Parses (and shape-checks) the staged entry at `path`, read from its staged copy unless its `bytes` are given. */
  private async checkRdfEntry(path: string, entryKind: EntryKind, contentType: string, found: StagedEntry, sourceUrl: string,
    shapes: boolean, bytes?: Buffer): Promise<void> {
    if (found.size > this.maxRdfBytes) {
      throw new ArchiveError(413, `Entry ${cutShort(path)} is ${found.size} bytes of RDF, more than the ${this.maxRdfBytes} this FMP parses.`,
        path);
    }
    const text = bytes ? bytes.toString('utf8') : await readFile(found.file!, 'utf8');
    let quads: Quad[];
    try {
      quads = await parseRdf(text, contentType, sourceUrl);
    } catch (error: unknown) {
      if (RdfSyntaxError.isInstance(error)) {
        throw new ArchiveError(400, `Entry ${cutShort(path)} is not well-formed ${contentType}: ${error.message}`, path, { cause: error });
      }
      throw error;
    }
    // As the pod's store validates a write (`RdfValidatingStore`). The import rewrites the old pod's IRIs, which
    // changes no result: the shapes name no pod IRIs, and rewriting keeps every term's kind.
    const kind = shapes && entryKind === 'document' ? containerKindOfPath(path.slice(RESOURCES_PREFIX.length)) : undefined;
    if (kind) {
      const report = validateDataset(kind, quads);
      if (!report.conforms) {
        throw new ArchiveError(422, `Entry ${cutShort(path)} breaks the ${kind} shapes: ${formatViolations(report).join('; ')}`, path);
      }
    }
  }
}

/** The media type to parse an entry as, or undefined when it is not RDF (binary documents, containers, the dump). */
export function rdfContentTypeOf(entry: Pick<ManifestEntry, 'kind' | 'contentType'>): string | undefined {
  if (entry.kind === 'acl' || entry.kind === 'meta') {
    return 'text/turtle';
  }
  return entry.kind === 'document' && isRdfMediaType(entry.contentType) ? entry.contentType : undefined;
}

/** What an early check is valid for: the media type an entry was parsed as, and the URL it was parsed at. */
function checkedAs(contentType: string, sourceUrl: string): string {
  return `${contentType} ${sourceUrl}`;
}

/** The URL an entry had in the source pod (`resources/catalog/x` → `<sourcePod>catalog/x`). */
export function sourceUrlOf(name: string, manifest: Pick<ArchiveManifest, 'sourcePod'>): string {
  return `${manifest.sourcePod}${name.slice(RESOURCES_PREFIX.length)}`;
}
