import { join } from 'node:path';
import type { AuditEntry } from '../../consent';
import { AuditLogWriter, readAuditLog } from '../../consent';
import type { LeaseKeeper } from '../cluster/LeaseKeeper';
import { runExclusively } from '../cluster/LeaseKeeper';

/** Keeps one bounded access log per pod in the FMP's state folder, outside every pod. */
export class GrantAuditor {
  private readonly writers = new Map<string, AuditLogWriter>();

  /**
   * @param stateFolder - The FMP's state folder; logs go to `<state>/audit/<pod>/`.
   * @param leases - The FMP's leases: with several processes, one appends to (or rotates) a pod's log at a time.
   * @param maxFileBytes - Size at which a log file is rotated.
   * @param maxFiles - How many log files are kept per pod.
   */
  public constructor(
    private readonly stateFolder: string,
    private readonly leases?: LeaseKeeper,
    private readonly maxFileBytes = 262_144,
    private readonly maxFiles = 4,
  ) {}

  /** Queues an entry in the pod's log; returns at once (written off the request's path). */
  public record(podRoot: string, entry: AuditEntry): void {
    let writer = this.writers.get(podRoot);
    if (!writer) {
      const folder = this.getFolder(podRoot);
      const leases = this.leases;
      writer = new AuditLogWriter(folder, { maxFileBytes: this.maxFileBytes, maxFiles: this.maxFiles,
        ...leases ? { exclusively: async<T>(work: () => Promise<T>): Promise<T> => runExclusively(leases, `file:${folder}`, work) } : {} });
      this.writers.set(podRoot, writer);
    }
    writer.record(entry);
  }

  /** The pod's entries, newest first, after writing whatever is still queued. */
  public async read(podRoot: string, limit?: number): Promise<AuditEntry[]> {
    await this.writers.get(podRoot)?.flush();
    return readAuditLog(this.getFolder(podRoot), { limit });
  }

  private getFolder(podRoot: string): string {
    // Pod roots are server-made URLs; keep only a safe folder name derived from their path.
    const name = new URL(podRoot).pathname.replace(/^\/|\/$/gu, '').replace(/[^a-zA-Z0-9-]/gu, '_') || '_root';
    return join(this.stateFolder, 'audit', name);
  }
}
