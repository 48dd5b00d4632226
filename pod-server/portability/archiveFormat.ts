// The fmp pod archive format, shared by the pod server (export/import) and the fmp CLI. Plain TypeScript, no CSS.
import { ArchiveError } from './ArchiveError';

/** The `format` value of every manifest. */
export const ARCHIVE_FORMAT = 'fmp-pod-archive';
/** The manifest version this code writes and reads. */
export const ARCHIVE_VERSION = 1;
/** Tar entry names of the two fixed files. */
export const MANIFEST_ENTRY = 'manifest.json';
export const DUMP_ENTRY = 'dump.nq';
/** Every pod resource lives below this tar folder, at its pod-relative path. */
export const RESOURCES_PREFIX = 'resources/';
/** The media type of an archive. */
export const ARCHIVE_CONTENT_TYPE = 'application/x-tar';
/**
 * Pax extended-header keywords an export adds, so an importer can check RDF while the archive streams in (the manifest,
 * which comes last, stays what counts): a document's media type, and on the pod root entry the pod's URL. They are
 * extended attributes in the form GNU tar and bsdtar know (`SCHILY.xattr.<name>`), so `tar tf` lists an export without
 * a warning and `tar --xattrs -xf` restores them; the names are the freedesktop.org ones for a file's media type and
 * the URL it came from.
 */
export const PAX_CONTENT_TYPE = 'SCHILY.xattr.user.mime_type';
export const PAX_SOURCE_POD = 'SCHILY.xattr.user.xdg.origin.url';
/** The keywords exports wrote before (GNU tar warns about each); still read, as archives and snapshots kept use them. */
export const LEGACY_PAX_CONTENT_TYPE = 'FMP.content-type';
export const LEGACY_PAX_SOURCE_POD = 'FMP.source-pod';

/** The media type an entry's pax records declare, under the current keyword or the older one. */
export function declaredContentTypeOf(pax: Record<string, unknown>): string | undefined {
  return firstString(pax[PAX_CONTENT_TYPE], pax[LEGACY_PAX_CONTENT_TYPE]);
}

/** The pod URL the pod root entry's pax records declare, under the current keyword or the older one. */
export function declaredSourcePodOf(pax: Record<string, unknown>): string | undefined {
  return firstString(pax[PAX_SOURCE_POD], pax[LEGACY_PAX_SOURCE_POD]);
}

function firstString(...values: unknown[]): string | undefined {
  return values.find((value): value is string => typeof value === 'string');
}
/** Response header of an export carrying how many resources (containers and documents) it holds. */
export const RESOURCE_COUNT_HEADER = 'x-fmp-resource-count';

/** What an entry holds: a container (tar directory), a document, a resource's `.acl` or `.meta`, or the N-Quads dump. */
export type EntryKind = 'container' | 'document' | 'acl' | 'meta' | 'dump';

/** One entry of the manifest. */
export interface ManifestEntry {
  /** Tar entry name, e.g. `resources/catalog/carrots`, `resources/catalog/` (a container), `dump.nq`. */
  path: string;
  kind: EntryKind;
  /** Media type as stored (documents); `text/turtle` for `.acl`/`.meta`, `application/n-quads` for the dump. */
  contentType?: string;
  /** Size in bytes (0 for containers). */
  size: number;
  /** Lower-case hex SHA-256 of the entry's bytes. */
  sha256: string;
}

/** `manifest.json`, the last entry of an archive. */
export interface ArchiveManifest {
  format: typeof ARCHIVE_FORMAT;
  version: number;
  /** The pod's root URL at export, e.g. `http://localhost:3000/greenacres/`. */
  sourcePod: string;
  sourceWebId: string;
  /** The exporting FMP's base URL (its OIDC issuer and the home of `/.fmp/shapes/`). */
  sourceServer: string;
  /** ISO date-time of the export. */
  exportedAt: string;
  /** Containers and documents in the archive (auxiliary `.acl`/`.meta` entries not counted). */
  resourceCount: number;
  entries: ManifestEntry[];
}

/** The tar entry name of a pod-relative resource path (`''` is the pod root). */
export function resourceEntryName(podRelativePath: string): string {
  return `${RESOURCES_PREFIX}${podRelativePath}`;
}

/**
 * Checks a tar entry name is a safe, canonical path: relative, no `.`/`..` segments (also percent-encoded),
 * no empty segments, no backslashes or control characters; only `resources/…`, `manifest.json` and `dump.nq`.
 * @throws {@link ArchiveError} (400) naming the entry.
 */
export function checkEntryName(name: string): void {
  const refuse = (why: string): never => {
    throw new ArchiveError(400, `Refused entry ${describeValue(name)}: ${why}.`, name);
  };
  if (name === MANIFEST_ENTRY || name === DUMP_ENTRY) {
    return;
  }
  if (name.startsWith('/') || /^[a-z]:/iu.test(name)) {
    refuse('absolute paths are not allowed');
  }
  // eslint-disable-next-line no-control-regex
  if (/[\\\u0000-\u001f]/u.test(name)) {
    refuse('backslashes and control characters are not allowed');
  }
  if (!name.startsWith(RESOURCES_PREFIX)) {
    refuse(`only ${MANIFEST_ENTRY}, ${DUMP_ENTRY} and ${RESOURCES_PREFIX}… belong in an archive`);
  }
  const segments = name.slice(RESOURCES_PREFIX.length).split('/');
  segments.forEach((segment, index): void => {
    let decoded: string;
    try {
      decoded = decodeURIComponent(segment);
    } catch {
      return refuse('it is not a valid percent-encoded path');
    }
    if (decoded === '.' || decoded === '..' || decoded.includes('/')) {
      refuse('path traversal (. or .. segments) is not allowed');
    }
    if (segment.length === 0 && index !== segments.length - 1) {
      refuse('empty path segments are not allowed');
    }
  });
}

/** Which kind a `resources/…` entry name implies (`.acl`/`.meta` suffixes, a trailing slash for containers). */
export function kindOfResourceEntry(name: string): EntryKind {
  if (name.endsWith('/')) {
    return 'container';
  }
  if (name.endsWith('.acl')) {
    return 'acl';
  }
  return name.endsWith('.meta') ? 'meta' : 'document';
}

/**
 * Parses and checks `manifest.json`: format, version, pod and WebID URLs, and each entry's fields.
 * @throws {@link ArchiveError} (400) saying what is wrong.
 */
export function parseManifest(text: string): ArchiveManifest {
  const refuse = (why: string): never => {
    throw new ArchiveError(400, `The manifest (${MANIFEST_ENTRY}) is not well-formed: ${why}.`, MANIFEST_ENTRY);
  };
  let manifest: ArchiveManifest;
  try {
    manifest = JSON.parse(text) as ArchiveManifest;
  } catch (error: unknown) {
    return refuse((error as Error).message);
  }
  if (typeof manifest !== 'object' || manifest === null || manifest.format !== ARCHIVE_FORMAT) {
    refuse(`format must be "${ARCHIVE_FORMAT}"`);
  }
  if (manifest.version !== ARCHIVE_VERSION) {
    refuse(`version ${describeValue(manifest.version)} is not supported (this FMP reads version ${ARCHIVE_VERSION})`);
  }
  for (const field of [ 'sourcePod', 'sourceWebId', 'sourceServer' ] as const) {
    if (typeof manifest[field] !== 'string' || !URL.canParse(manifest[field])) {
      refuse(`${field} must be an absolute URL`);
    }
  }
  if (!manifest.sourcePod.endsWith('/')) {
    refuse('sourcePod must end with a slash');
  }
  if (!Array.isArray(manifest.entries)) {
    refuse('entries must be a list');
  }
  const seen = new Set<string>();
  for (const entry of manifest.entries) {
    if (typeof entry !== 'object' || entry === null || typeof entry.path !== 'string' || seen.has(entry.path)) {
      refuse(`entry ${describeValue((entry as Partial<ManifestEntry> | null)?.path)} is missing a path or is listed twice`);
    }
    if (!ENTRY_KINDS.has(entry.kind)) {
      refuse(`entry ${describeValue(entry.path)} has kind ${describeValue(entry.kind)}; it must be one of ${[ ...ENTRY_KINDS ].join(', ')}`);
    }
    seen.add(entry.path);
    if (!Number.isSafeInteger(entry.size) || entry.size < 0 || !/^[0-9a-f]{64}$/u.test(String(entry.sha256))) {
      refuse(`entry ${describeValue(entry.path)} needs a size and a hex SHA-256`);
    }
    if (entry.contentType !== undefined && typeof entry.contentType !== 'string' ||
      entry.kind === 'document' && typeof entry.contentType !== 'string') {
      refuse(`document ${describeValue(entry.path)} needs a contentType`);
    }
  }
  return manifest;
}

const ENTRY_KINDS: ReadonlySet<unknown> = new Set<EntryKind>([ 'container', 'document', 'acl', 'meta', 'dump' ]);

/** A value as JSON, cut short: a message quotes what is wrong without repeating a huge or nested value. */
export function describeValue(value: unknown): string {
  let text: string | undefined;
  try {
    text = JSON.stringify(value);
  } catch {
    // Nested too deep to print.
  }
  return cutShort(text ?? typeof value);
}

/** `text` cut to 80 characters, so a message can name an entry without repeating a name of any length. */
export function cutShort(text: string): string {
  return text.length > 80 ? `${text.slice(0, 77)}...` : text;
}

/** Bytes of the pod an archive holds (its documents, ACLs and metadata), not counting the dump or the manifest. */
export function podBytesOf(manifest: ArchiveManifest): number {
  return manifest.entries.filter((entry): boolean => entry.path.startsWith(RESOURCES_PREFIX))
    .reduce((sum, entry): number => sum + entry.size, 0);
}
