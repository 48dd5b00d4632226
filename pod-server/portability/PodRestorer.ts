import type { Quad } from '@rdfjs/types';
import type { ResourceStore } from '@solid/community-server';
import { BasicRepresentation, getLoggerFor, INTERNAL_QUADS } from '@solid/community-server';
import type { PodWalker, StoredResource } from './PodWalker';
import type { SeededPaths } from './SeededPaths';
import { deleteIfExists } from './deleteIfExists';

/** What a pod held before an import: its seeded resources, with their ACLs. */
export interface RestorePoint {
  podRoot: string;
  resources: Map<string, StoredResource & { acl?: Buffer }>;
}

/** Takes a pod's seeded resources aside before an import, and puts the pod back to exactly them if the import fails. */
export class PodRestorer {
  protected readonly logger = getLoggerFor(this);

  /**
   * @param store - CSS's resource store (no authorization is applied).
   * @param walker - Lists and reads the pod.
   * @param seeded - The paths sign-up seeds.
   */
  public constructor(private readonly store: ResourceStore, private readonly walker: PodWalker, private readonly seeded: SeededPaths) {}

  /** Reads every seeded resource the pod has (they are few and small: the template's). */
  public async capture(podRoot: string): Promise<RestorePoint> {
    const resources: RestorePoint['resources'] = new Map();
    const seeded = await this.seeded.list();
    for await (const resource of this.walker.walk(podRoot)) {
      if (seeded.has(resource.path)) {
        const stored = await this.walker.read(resource.url);
        resources.set(resource.url, { ...stored, acl: await this.walker.readIfExists(`${resource.url}.acl`) });
      }
    }
    return { podRoot, resources };
  }

  /** Removes everything the capture did not hold (deepest first) and writes back what it held. */
  public async restore(point: RestorePoint): Promise<void> {
    const found: string[] = [];
    for await (const resource of this.walker.walk(point.podRoot)) {
      found.push(resource.url);
    }
    for (const url of found.reverse()) {
      if (!point.resources.has(url)) {
        await this.attempt(`remove ${url}`, async(): Promise<unknown> => this.store.deleteResource({ path: url }));
      }
    }
    for (const [ url, stored ] of point.resources) {
      if (stored.contentType !== undefined) {
        await this.attempt(`restore ${url}`, async(): Promise<unknown> =>
          this.store.setRepresentation({ path: url }, new BasicRepresentation([ stored.bytes ], stored.contentType!)));
      } else if (!await this.store.hasResource({ path: url })) {
        await this.attempt(`restore ${url}`, async(): Promise<unknown> =>
          this.store.setRepresentation({ path: url }, new BasicRepresentation([], INTERNAL_QUADS)));
      }
      await this.attempt(`restore ${url}.meta`, async(): Promise<unknown> =>
        this.store.setRepresentation({ path: `${url}.meta` }, new BasicRepresentation(stored.metadata as Quad[], INTERNAL_QUADS)));
      await this.attempt(`restore ${url}.acl`, async(): Promise<unknown> => stored.acl ?
        this.store.setRepresentation({ path: `${url}.acl` }, new BasicRepresentation([ stored.acl ], 'text/turtle')) :
        deleteIfExists(this.store, `${url}.acl`));
    }
  }

  /** Runs one restoring step; a failure is logged and the rest still runs, so as much as possible is put back. */
  private async attempt(what: string, step: () => Promise<unknown>): Promise<void> {
    try {
      await step();
    } catch (error: unknown) {
      this.logger.error(`Could not ${what} after a failed import: ${(error as Error).message}`);
    }
  }
}
