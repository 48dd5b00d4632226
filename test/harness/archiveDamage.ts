import type { ArchiveManifest, ManifestEntry } from '../../pod-server/portability/archiveFormat';
import { PAX_CONTENT_TYPE } from '../../pod-server/portability/archiveFormat';
import type { SeededRandom } from './fuzz';
import { badRdfBody, mutate } from './fuzz';
import type { TarEntry } from './tarArchives';
import { manifestOf, repack, sha256, unpack } from './tarArchives';

/** An archive's entries (without its manifest) and its manifest, to damage one and rebuild the archive. */
interface ArchiveParts {
  entries: TarEntry[];
  manifest: ArchiveManifest;
}

/** The archive of `entries` with `manifest` listing them truthfully (size and SHA-256 measured, kinds kept). */
async function relisted({ entries, manifest }: ArchiveParts): Promise<Buffer> {
  const listed = new Map(manifest.entries.map((entry): [string, ManifestEntry] => [ entry.path, entry ]));
  const relist = entries.map((entry): ManifestEntry => ({
    ...listed.get(entry.name) ?? { kind: 'document', contentType: entry.pax?.[PAX_CONTENT_TYPE] ?? 'text/turtle' } as ManifestEntry,
    path: entry.name, size: entry.data.length, sha256: sha256(entry.data),
  }));
  return withManifest(entries, { ...manifest, entries: relist });
}

async function withManifest(entries: TarEntry[], manifest: unknown): Promise<Buffer> {
  return repack([ ...entries, { name: 'manifest.json', type: 'file', data: Buffer.from(JSON.stringify(manifest)) }]);
}

type Damage = (random: SeededRandom, parts: ArchiveParts) => Promise<[string, Buffer]>;

/** Ways to make a bad archive: damaged bytes, unsafe entries, a lying or hostile manifest, hostile RDF inside. */
const DAMAGES: readonly Damage[] = [
  async(random, parts): Promise<[string, Buffer]> => {
    const [ label, bytes ] = mutate(random, await relisted(parts));
    return [ `archive bytes: ${label}`, bytes ];
  },
  async(random): Promise<[string, Buffer]> => [ 'binary garbage', random.bytes(random.int(0, 20_000)) ],
  async(random, parts): Promise<[string, Buffer]> => {
    // Hostile RDF in a document, listed truthfully by the manifest, so the archive reaches the parser and the shapes.
    const turtle = new Set(parts.manifest.entries.filter((entry): boolean => entry.contentType === 'text/turtle')
      .map((entry): string => entry.path));
    const target = random.pick(parts.entries.filter((entry): boolean => turtle.has(entry.name)));
    const { label, body, contentType } = badRdfBody(random, `${parts.manifest.sourcePod}${target.name.slice('resources/'.length)}`,
      target.data);
    target.data = body;
    target.pax = { ...target.pax, [PAX_CONTENT_TYPE]: contentType };
    parts.manifest.entries = parts.manifest.entries.map((entry): ManifestEntry => entry.path === target.name ? { ...entry, contentType } : entry);
    return [ `${target.name}: ${label} (${contentType})`, await relisted(parts) ];
  },
  async(random, parts): Promise<[string, Buffer]> => {
    const name = random.pick([ '../escape', '/etc/passwd', 'resources/../../x', 'resources/%2e%2e/x', 'resources/a//b', 'resources/a\\b',
      'resources/a\u0000b', 'C:/x', 'other/x', `resources/${'n'.repeat(random.int(100, 5_000))}`, 'resources/%zz', 'manifest.json' ]);
    parts.entries.splice(random.int(0, parts.entries.length), 0, { name, type: 'file', data: Buffer.from('<a> <b> <c>.') });
    return [ `an entry named ${JSON.stringify(name.slice(0, 40))}`, await relisted(parts) ];
  },
  async(random, parts): Promise<[string, Buffer]> => {
    parts.entries.splice(random.int(0, parts.entries.length), 0, { name: 'resources/catalog/link', type: 'symlink', data: Buffer.alloc(0) });
    return [ 'a symlink entry', await relisted(parts) ];
  },
  async(random, parts): Promise<[string, Buffer]> => {
    const twice = random.pick(parts.entries);
    parts.entries.push({ ...twice });
    return [ `${twice.name} twice`, await relisted(parts) ];
  },
  async(random, parts): Promise<[string, Buffer]> => {
    const [ label, bytes ] = mutate(random, Buffer.from(JSON.stringify(parts.manifest)));
    return [ `manifest: ${label}`, await repack([ ...parts.entries, { name: 'manifest.json', type: 'file', data: bytes }]) ];
  },
  async(random, parts): Promise<[string, Buffer]> => {
    const manifest = parts.manifest as unknown as Record<string, unknown> & { entries: Record<string, unknown>[] };
    const field = random.pick([ 'format', 'version', 'sourcePod', 'sourceWebId', 'sourceServer', 'entries', 'path', 'size', 'sha256',
      'kind', 'contentType' ]);
    const value = random.pick<unknown>([ null, 1, -1, 1e308, 'x'.repeat(random.int(1, 50_000)), [], {}, [[[[[]]]]], true,
      JSON.parse(`${'['.repeat(1_000)}${']'.repeat(1_000)}`), 'javascript:alert(1)', '../../', Number.MAX_SAFE_INTEGER + 2 ]);
    const holder = [ 'path', 'size', 'sha256', 'kind', 'contentType' ].includes(field) ? random.pick(manifest.entries) : manifest;
    holder[field] = value;
    return [ `manifest ${field} set to ${JSON.stringify(value)?.slice(0, 40)}`, await withManifest(parts.entries, manifest) ];
  },
  async(random, parts): Promise<[string, Buffer]> => {
    const { manifest } = parts;
    const entries: unknown[] = random.pick([ [], manifest.entries.slice(1), [ ...manifest.entries, ...manifest.entries ],
      Array.from({ length: random.int(1_000, 50_000) }, (_, index): unknown => ({ path: `resources/x${index}`, kind: 'document',
        contentType: 'text/turtle', size: 0, sha256: '0'.repeat(64) })) ]);
    return [ `manifest listing ${entries.length} entries`, await withManifest(parts.entries, { ...manifest, entries }) ];
  },
  async(random, parts): Promise<[string, Buffer]> => {
    const target = random.pick(parts.entries);
    const key = random.pick([ PAX_CONTENT_TYPE, 'SCHILY.xattr.user.xdg.origin.url', 'path', 'size', 'linkpath' ]);
    target.pax = { ...target.pax, [key]: random.pick([ 'x'.repeat(random.int(1, 200_000)), '', '\u0000', '-1', 'application/ld+json',
      'http://127.0.0.1/', 'not a url', '99999999999999999999' ]) };
    return [ `${target.name} with pax ${key} damaged`, await relisted(parts) ];
  },
  async(random, parts): Promise<[string, Buffer]> => {
    const archive = await relisted(parts);
    // Cut at a block boundary: the tar reader sees a well-formed start and then the end of the stream.
    return [ 'cut at a block boundary', archive.subarray(0, 512 * random.int(0, Math.floor(archive.length / 512) - 1)) ];
  },
];

/** `archive` (a well-formed pod archive) with one seeded damage, and what the damage was. */
export async function damagedArchive(random: SeededRandom, archive: Buffer): Promise<[string, Buffer]> {
  const all = await unpack(archive);
  const parts = { entries: all.filter((entry): boolean => entry.name !== 'manifest.json'), manifest: manifestOf(all) };
  return random.pick(DAMAGES)(random, parts);
}
