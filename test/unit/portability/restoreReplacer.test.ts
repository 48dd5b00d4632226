import { strict as assert } from 'node:assert';
import { createHash } from 'node:crypto';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { ResourceIdentifier, ResourceStore } from '@solid/community-server';
import { NotFoundHttpError } from '@solid/community-server';
import type { ArchiveManifest, ManifestEntry } from '../../../pod-server/portability/archiveFormat';
import type { StagedArchive } from '../../../pod-server/portability/ArchiveStager';
import { PodReplacer } from '../../../pod-server/portability/snapshots/PodReplacer';

const POD = 'http://localhost:3000/alice/';

function entry(path: string, kind: ManifestEntry['kind'], content = ''): ManifestEntry {
  return { path, kind, ...kind === 'document' ? { contentType: 'text/turtle' } : {}, size: content.length,
    sha256: createHash('sha256').update(content).digest('hex') };
}

function manifest(entries: ManifestEntry[]): ArchiveManifest {
  return { format: 'fmp-pod-archive', version: 1, sourcePod: POD, sourceWebId: `${POD}profile/card#me`,
    sourceServer: 'http://localhost:3000/', exportedAt: '2026-01-01T00:00:00.000Z', resourceCount: 0, entries };
}

describe('PodReplacer (restore)', (): void => {
  let folder: string;
  let calls: string[];
  let store: ResourceStore;

  beforeEach(async(): Promise<void> => {
    folder = await mkdtemp(join(tmpdir(), 'fmp-replace-'));
    calls = [];
    store = {
      hasResource: async({ path }: ResourceIdentifier): Promise<boolean> => path === POD,
      deleteResource: async({ path }: ResourceIdentifier): Promise<void> => {
        calls.push(`delete ${path.slice(POD.length)}`);
        if (path.endsWith('gone')) {
          throw new NotFoundHttpError();
        }
      },
      setRepresentation: async({ path }: ResourceIdentifier): Promise<void> => {
        calls.push(`write ${path.slice(POD.length)}`);
        if (path.endsWith('refused')) {
          throw Object.assign(new Error('422 shapes'), { statusCode: 422 });
        }
      },
    } as unknown as ResourceStore;
  });

  afterEach(async(): Promise<void> => {
    await rm(folder, { recursive: true, force: true });
  });

  async function staged(entries: [ManifestEntry, string][]): Promise<StagedArchive> {
    const result: StagedArchive = { entries: new Map() };
    for (const [ index, [ listed, content ]] of entries.entries()) {
      const file = join(folder, String(index));
      await writeFile(file, content);
      result.entries.set(listed.path, { name: listed.path, file, directory: listed.kind === 'container', size: content.length,
        sha256: listed.sha256 });
    }
    return result;
  }

  it('removes deepest first (never the pod root), clears what was added to kept resources, writes only what differs.',
    async(): Promise<void> => {
      const current = manifest([
        entry('resources/', 'container'), entry('resources/.acl', 'acl', 'root acl'),
        entry('resources/notes/', 'container'), entry('resources/notes/.meta', 'meta', '<> <#title> "Notes".'),
        entry('resources/notes/.acl', 'acl', 'added acl'),
        entry('resources/notes/a', 'document', '<#a> <#b> <#c>.'),
        entry('resources/notes/sub/', 'container'), entry('resources/notes/sub/x', 'document', 'x'),
        entry('resources/notes/gone', 'document', 'removed meanwhile'),
      ]);
      const wanted: [ManifestEntry, string][] = [
        [ entry('resources/', 'container'), '' ], [ entry('resources/.acl', 'acl', 'root acl'), 'root acl' ],
        [ entry('resources/notes/', 'container'), '' ],
        [ entry('resources/notes/a', 'document', '<#a> <#b> <#old>.'), '<#a> <#b> <#old>.' ],
        [ entry('resources/notes/b', 'document', '<#b> <#b> <#b>.'), '<#b> <#b> <#b>.' ],
      ];
      const counts = await new PodReplacer(store).replace(POD, current, await staged(wanted), manifest(wanted.map(([ e ]) => e)));
      assert.deepEqual(calls, [
        'delete notes/gone', 'delete notes/sub/x', 'delete notes/sub/', 'delete notes/.acl', 'write notes/.meta',
        'write notes/a', 'write notes/b',
      ]);
      assert.deepEqual(counts, { removed: 3, restored: 3, unchanged: 1 });
    });

  it('names the entry that failed, with the store\'s status.', async(): Promise<void> => {
    const wanted: [ManifestEntry, string][] = [[ entry('resources/notes/refused', 'document', 'r'), 'r' ]];
    await assert.rejects(new PodReplacer(store).replace(POD, manifest([]), await staged(wanted), manifest(wanted.map(([ e ]) => e))),
      { name: 'ArchiveError', status: 422, entry: 'resources/notes/refused', message: /^Entry resources\/notes\/refused could not be written \(422 shapes\)/u });
  });
});
