import { join, resolve } from 'node:path';

/** Where CSS keeps the pods (and its own `.internal/` state) inside an FMP data folder. */
export function getPodsFolder(dataFolder: string): string {
  return join(resolve(dataFolder), 'pods');
}

/** Where the FMP keeps its own state (operator token, keys, peers) inside a data folder, out of HTTP's reach. */
export function getStateFolder(dataFolder: string): string {
  return join(resolve(dataFolder), 'fmp');
}

/** The bridges' own state (identities, connections with targets' secrets, the outbox): `<data>/bridges`. */
export function getBridgesFolder(dataFolder: string): string {
  return join(dataFolder, 'bridges');
}
