import { randomBytes } from 'node:crypto';
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { dirname } from 'node:path';

/**
 * The random secret kept in `path` (mode 0600), made at the first start. Every process on the same data folder reads
 * the same one, so what one process signs or sends another accepts.
 */
export async function readOrCreateSecret(path: string): Promise<string> {
  await mkdir(dirname(path), { recursive: true, mode: 0o700 });
  try {
    return (await readFile(path, 'utf8')).trim();
  } catch {
    try {
      // `wx` fails rather than overwrite a secret another process wrote meanwhile.
      await writeFile(path, randomBytes(32).toString('base64url'), { mode: 0o600, flag: 'wx' });
    } catch (error: unknown) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') {
        throw error;
      }
    }
    return (await readFile(path, 'utf8')).trim();
  }
}
