import { promises as fs } from 'node:fs';
import { join } from 'node:path';
import type { AuditEntry } from './AuditEntry';
import { getLogFileName, parseAuditLine } from './AuditEntry';

/** Reads a member's access log newest first, at most `limit` entries; damaged lines are skipped. */
export async function readAuditLog(folder: string, options: { limit?: number } = {}): Promise<AuditEntry[]> {
  const limit = options.limit ?? Number.POSITIVE_INFINITY;
  const entries: AuditEntry[] = [];
  for (const file of await listLogFiles(folder)) {
    const lines = (await fs.readFile(join(folder, file), 'utf8')).split('\n');
    for (let index = lines.length - 1; index >= 0 && entries.length < limit; index -= 1) {
      const entry = lines[index].length > 0 ? parseAuditLine(lines[index]) : undefined;
      if (entry) {
        entries.push(entry);
      }
    }
    if (entries.length >= limit) {
      break;
    }
  }
  return entries;
}

// Newest first: access.log, access.1.log, access.2.log, …
async function listLogFiles(folder: string): Promise<string[]> {
  let names: string[];
  try {
    names = await fs.readdir(folder);
  } catch (error: unknown) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') {
      return [];
    }
    throw error;
  }
  const indexOf = (name: string): number => name === getLogFileName(0) ? 0 : Number(/^access\.(\d+)\.log$/u.exec(name)?.[1] ?? -1);
  return names.filter((name): boolean => indexOf(name) >= 0).sort((a, b): number => indexOf(a) - indexOf(b));
}
