import { createHash } from 'node:crypto';
import { extract, pack } from 'tar-stream';
import type { ArchiveManifest } from '../../pod-server/portability/archiveFormat';
import {
  LEGACY_PAX_CONTENT_TYPE, LEGACY_PAX_SOURCE_POD, PAX_CONTENT_TYPE, PAX_SOURCE_POD,
} from '../../pod-server/portability/archiveFormat';

/** One tar entry, as the tests read and rebuild archives. */
export interface TarEntry {
  name: string;
  type: 'file' | 'directory' | 'symlink';
  data: Buffer;
  /** The entry's pax extended-header records, if it has any. */
  pax?: Record<string, string>;
}

/** The entries of a tar archive, in order. */
export async function unpack(archive: Buffer): Promise<TarEntry[]> {
  const tar = extract();
  const entries: TarEntry[] = [];
  const reading = (async(): Promise<void> => {
    for await (const entry of tar) {
      const chunks: Buffer[] = [];
      for await (const chunk of entry as unknown as AsyncIterable<Buffer>) {
        chunks.push(chunk);
      }
      const pax = entry.header.pax as Record<string, string> | undefined;
      entries.push({ name: entry.header.name, type: entry.header.type as TarEntry['type'], data: Buffer.concat(chunks),
        ...pax ? { pax } : {}});
    }
  })();
  tar.end(archive);
  await reading;
  return entries;
}

/** A tar archive of `entries`; a symlink entry points at /etc/passwd, as an attacker's would. */
export async function repack(entries: TarEntry[]): Promise<Buffer> {
  const tar = pack();
  const chunks: Buffer[] = [];
  const collecting = (async(): Promise<void> => {
    for await (const chunk of tar as AsyncIterable<Buffer>) {
      chunks.push(chunk);
    }
  })();
  for (const entry of entries) {
    if (entry.type === 'directory') {
      tar.entry({ name: entry.name, type: 'directory', pax: entry.pax });
    } else if (entry.type === 'symlink') {
      tar.entry({ name: entry.name, type: 'symlink', linkname: '/etc/passwd' });
    } else {
      tar.entry({ name: entry.name, pax: entry.pax }, entry.data);
    }
  }
  tar.finalize();
  await collecting;
  return Buffer.concat(chunks);
}

/** Lower-case hex SHA-256, as manifests list it. */
export function sha256(data: Buffer): string {
  return createHash('sha256').update(data).digest('hex');
}

/** The parsed `manifest.json` among the entries. */
export function manifestOf(entries: TarEntry[]): ArchiveManifest {
  return JSON.parse(entries.find((entry): boolean => entry.name === 'manifest.json')!.data.toString()) as ArchiveManifest;
}

/** The entries with their pax records under the keywords exports wrote before, as archives and snapshots kept have them. */
export function withLegacyPaxKeywords(entries: TarEntry[]): TarEntry[] {
  const renamed: Record<string, string> = { [PAX_CONTENT_TYPE]: LEGACY_PAX_CONTENT_TYPE, [PAX_SOURCE_POD]: LEGACY_PAX_SOURCE_POD };
  return entries.map((entry): TarEntry => entry.pax ? { ...entry, pax: Object.fromEntries(Object.entries(entry.pax)
    .map(([ keyword, value ]): [string, string] => [ renamed[keyword] ?? keyword, value ])) } : entry);
}
