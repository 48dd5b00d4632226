import { randomBytes } from 'node:crypto';
import { link, mkdir, readFile, unlink, writeFile } from 'node:fs/promises';
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
    // Written aside, then linked into place: `link` fails rather than replace a secret another process (a worker
    // starting at the same moment) made meanwhile, and nobody ever reads a file not yet written.
    const aside = `${path}.${randomBytes(8).toString('hex')}.tmp`;
    await writeFile(aside, randomBytes(32).toString('base64url'), { mode: 0o600, flag: 'wx' });
    try {
      await link(aside, path);
    } catch (error: unknown) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') {
        throw error;
      }
    } finally {
      await unlink(aside);
    }
    return (await readFile(path, 'utf8')).trim();
  }
}
