import { randomBytes } from 'node:crypto';
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { dirname } from 'node:path';
import { getLoggerFor, Initializer } from '@solid/community-server';
import { getOperatorTokenPath, getServerInfoPath } from './OperatorFiles';

/** Writes the operator token (once, mode 0600) and the server's URL into the data folder at start-up. */
export class OperatorTokenInitializer extends Initializer {
  protected readonly logger = getLoggerFor(this);

  /**
   * @param stateFolder - The FMP's state folder (`<data>/fmp`, outside the pods).
   * @param baseUrl - The server's base URL, recorded for operator commands.
   */
  public constructor(private readonly stateFolder: string, private readonly baseUrl: string) {
    super();
  }

  public async handle(): Promise<void> {
    const tokenPath = getOperatorTokenPath(this.stateFolder);
    await mkdir(dirname(tokenPath), { recursive: true, mode: 0o700 });
    try {
      await readFile(tokenPath, 'utf8');
    } catch {
      // `wx` fails rather than overwrite a token another process wrote meanwhile.
      await writeFile(tokenPath, randomBytes(32).toString('base64url'), { mode: 0o600, flag: 'wx' });
      this.logger.info(`Wrote the operator token to ${tokenPath}`);
    }
    await writeFile(getServerInfoPath(this.stateFolder), JSON.stringify({ baseUrl: this.baseUrl }), { mode: 0o600 });
  }
}
