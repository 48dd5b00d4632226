import { existsSync } from 'node:fs';
import { join, resolve } from 'node:path';
import type { ContainerKind } from './ContainerKind';

/**
 * Which Turtle files make up the shapes graph of each container kind.
 * Prices and quantities appear in catalogs and orders, so both load the shared file.
 */
export const SHAPE_FILES: Readonly<Record<ContainerKind, readonly string[]>> = Object.freeze({
  catalog: [ 'common.shapes.ttl', 'catalog.shapes.ttl' ],
  land: [ 'land.shapes.ttl' ],
  logs: [ 'logs.shapes.ttl' ],
  orders: [ 'common.shapes.ttl', 'orders.shapes.ttl' ],
  profile: [ 'profile.shapes.ttl' ],
});

/**
 * Finds the folder holding the `*.shapes.ttl` files.
 *
 * Compiled code runs from `dist/shapes/`, but `tsc` does not copy Turtle files, so the folder is
 * looked up next to this module first and then in the source tree (`<root>/shapes/`).
 */
export function findShapesDirectory(moduleDirectory: string = __dirname): string {
  const candidates = [ moduleDirectory, resolve(moduleDirectory, '..', '..', 'shapes') ];
  const found = candidates.find((candidate): boolean => existsSync(join(candidate, 'common.shapes.ttl')));
  if (!found) {
    throw new Error(`No SHACL shapes found; looked in ${candidates.join(' and ')}`);
  }
  return found;
}
