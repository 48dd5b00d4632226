import { join } from 'node:path';

/** Path of the operator token file in the FMP's state folder, written at first start with mode 0600. */
export function getOperatorTokenPath(stateFolder: string): string {
  return join(stateFolder, 'operator-token');
}

/** Path of the file that tells operator commands which URL the server of this data folder listens on. */
export function getServerInfoPath(stateFolder: string): string {
  return join(stateFolder, 'server.json');
}
