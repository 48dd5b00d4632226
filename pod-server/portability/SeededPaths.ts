import type { Dirent } from 'node:fs';
import { readdir } from 'node:fs/promises';
import { join } from 'node:path';

/**
 * The pod-relative paths of the containers and documents sign-up seeds into every new pod, read from the pod
 * template folder (`base/` and `wac/`): `card$.ttl.hbs` seeds `card`; `.meta` and `.acl` files seed no resource.
 */
export class SeededPaths {
  private paths?: Promise<ReadonlySet<string>>;

  /** @param templateFolder - The pod template folder (`urn:fmp:variable:podTemplateFolder`). */
  public constructor(private readonly templateFolder: string) {}

  /** The seeded paths, `''` being the pod root and containers ending in a slash; read once. */
  public async list(): Promise<ReadonlySet<string>> {
    this.paths ??= this.read();
    return this.paths;
  }

  private async read(): Promise<ReadonlySet<string>> {
    const paths = new Set<string>([ '' ]);
    for (const part of [ 'base', 'wac' ]) {
      await this.addFolder(join(this.templateFolder, part), '', paths);
    }
    return paths;
  }

  private async addFolder(folder: string, relative: string, paths: Set<string>): Promise<void> {
    let entries: Dirent[];
    try {
      entries = await readdir(folder, { withFileTypes: true });
    } catch {
      // CSS skips a missing template part too.
      return;
    }
    for (const entry of entries) {
      if (entry.isDirectory()) {
        paths.add(`${relative}${entry.name}/`);
        await this.addFolder(join(folder, entry.name), `${relative}${entry.name}/`, paths);
        continue;
      }
      const name = entry.name.replace(/\.hbs$|\.ejs$/u, '').replace(/\$\.[^/]*$/u, '');
      if (name !== '.meta' && !name.endsWith('.meta') && !name.endsWith('.acl')) {
        paths.add(`${relative}${name}`);
      }
    }
  }
}
