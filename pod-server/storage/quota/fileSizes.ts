import type { Dirent } from 'node:fs';
import { lstat, readdir } from 'node:fs/promises';
import { join } from 'node:path';

/** How many files a walk stats at once. */
const PARALLEL_STATS = 64;

/** `path` if it is a container, then every container above it, deepest first. */
export function* containersOf(path: string): Generator<string> {
  let current = path.endsWith('/') ? path : path.slice(0, path.lastIndexOf('/') + 1);
  while (current.length > 0) {
    yield current;
    const parent = current.slice(0, current.lastIndexOf('/', current.length - 2) + 1);
    if (parent.length >= current.length || parent.endsWith('//')) {
      return;
    }
    current = parent;
  }
}

/** A regular file's size; 0 for anything else; `undefined` if nothing is there. */
export async function sizeOf(file: string): Promise<number | undefined> {
  try {
    const stats = await lstat(file);
    return stats.isFile() ? stats.size : 0;
  } catch {
    return undefined;
  }
}

/** Bytes of every regular file below `folder` (0 if it does not exist). */
export async function sumFileSizes(folder: string): Promise<number> {
  let entries: Dirent[];
  try {
    entries = await readdir(folder, { withFileTypes: true });
  } catch {
    return 0;
  }
  let total = 0;
  for (let start = 0; start < entries.length; start += PARALLEL_STATS) {
    const sizes = await Promise.all(entries.slice(start, start + PARALLEL_STATS).map(async(entry): Promise<number> => {
      const path = join(folder, entry.name);
      if (entry.isDirectory()) {
        return sumFileSizes(path);
      }
      return entry.isFile() ? await sizeOf(path) ?? 0 : 0;
    }));
    total += sizes.reduce((sum, size): number => sum + size, 0);
  }
  return total;
}
