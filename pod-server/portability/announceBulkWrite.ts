import type { ActivityEmitter } from '@solid/community-server';
import { AS, RepresentationMetadata } from '@solid/community-server';
import type { ArchiveManifest } from './archiveFormat';
import { RESOURCES_PREFIX } from './archiveFormat';

/**
 * Announces that every container of an archive written in bulk changed (`as:Update`), as CSS announces a write: what
 * went straight to the files sent no notification of its own, so subscribers to a container (bridges) hear of it and
 * look at the whole container again.
 */
export function announceBulkWrite(emitter: ActivityEmitter, podRoot: string, manifest: ArchiveManifest): void {
  for (const entry of manifest.entries) {
    if (entry.kind === 'container' && entry.path.startsWith(RESOURCES_PREFIX)) {
      const path = `${podRoot}${entry.path.slice(RESOURCES_PREFIX.length)}`;
      emitter.emit('changed', { path }, AS.terms.Update, new RepresentationMetadata({ path }));
    }
  }
}
