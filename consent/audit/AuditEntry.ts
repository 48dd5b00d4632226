/** One request allowed by a grant, as the member sees it in their access log. */
export interface AuditEntry {
  time: Date;
  /** Grantee id: WebID, client id or issuer. */
  grantee: string;
  /** Client id of the app that made the request, if any. */
  client?: string;
  resource: string;
  /** The access modes the grant was used for, e.g. `read` or `append,create` (a permission reader sees modes, not HTTP methods). */
  access: string;
  grantId: string;
}

/** Name of the file new entries go to; rotated files are `access.1.log` (newest) to `access.<n-1>.log`. */
export const CURRENT_LOG_FILE = 'access.log';

/** Name of the n-th log file, 0 being the current one. */
export function getLogFileName(index: number): string {
  return index === 0 ? CURRENT_LOG_FILE : `access.${index}.log`;
}

/** One JSON line for an entry. */
export function serialiseAuditEntry(entry: AuditEntry): string {
  const { time, grantee, client, resource, access, grantId } = entry;
  return `${JSON.stringify({ time: time.toISOString(), grantee, client, resource, access, grantId })}\n`;
}

/** Reads one JSON line back, or undefined if it is damaged (e.g. cut short by a crash). */
export function parseAuditLine(line: string): AuditEntry | undefined {
  try {
    const raw = JSON.parse(line) as Record<string, unknown>;
    const time = new Date(raw.time as string);
    if (Number.isNaN(time.getTime()) || typeof raw.grantee !== 'string' || typeof raw.resource !== 'string' ||
      typeof raw.access !== 'string' || typeof raw.grantId !== 'string') {
      return undefined;
    }
    const entry: AuditEntry = { time, grantee: raw.grantee, resource: raw.resource, access: raw.access, grantId: raw.grantId };
    return typeof raw.client === 'string' ? { ...entry, client: raw.client } : entry;
  } catch {
    return undefined;
  }
}
