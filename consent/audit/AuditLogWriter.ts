import { promises as fs } from 'node:fs';
import { join } from 'node:path';
import type { AuditEntry } from './AuditEntry';
import { getLogFileName, serialiseAuditEntry } from './AuditEntry';

/** Size bounds and error reporting of an access log. */
export interface AuditLogOptions {
  /** A file is rotated before it would grow past this many bytes (default 256 KiB). */
  maxFileBytes?: number;
  /** Files kept, the current one included (default 4); the log never exceeds maxFiles × maxFileBytes. */
  maxFiles?: number;
  /** Entries waiting beyond this are dropped (and counted) rather than growing memory (default 10,000). */
  maxQueue?: number;
  /** Told about write failures; the request that caused the entry has long been answered. */
  onError?: (error: unknown) => void;
  /**
   * Runs each batch (append and rotation) while no other process writes the same log, when several FMP processes
   * share the data folder; the log's size is then read anew for each batch, as others append too.
   */
  exclusively?: <T>(work: () => Promise<T>) => Promise<T>;
}

/**
 * Append-only, size-bounded JSON-lines access log of one member, in a folder the caller chooses.
 * `record` only queues; writing happens later on the event loop, off the request's critical path.
 */
export class AuditLogWriter {
  private readonly maxFileBytes: number;
  private readonly maxFiles: number;
  private readonly maxQueue: number;
  private readonly onError: (error: unknown) => void;
  private readonly exclusively?: <T>(work: () => Promise<T>) => Promise<T>;
  private queue: AuditEntry[] = [];
  private writing?: Promise<void>;
  private currentSize?: number;
  private droppedCount = 0;

  public constructor(private readonly folder: string, options: AuditLogOptions = {}) {
    this.maxFileBytes = options.maxFileBytes ?? 256 * 1024;
    this.maxFiles = Math.max(1, options.maxFiles ?? 4);
    this.maxQueue = options.maxQueue ?? 10_000;
    this.exclusively = options.exclusively;
    this.onError = options.onError ?? ((error): void => {
      process.emitWarning(`Audit log ${folder} failed: ${String(error)}`);
    });
  }

  /** Entries lost because the queue was full, an entry was larger than a file, or a write failed. */
  public get dropped(): number {
    return this.droppedCount;
  }

  /** Queues an entry and returns at once; never throws. */
  public record(entry: AuditEntry): void {
    if (this.queue.length >= this.maxQueue || !(entry.time instanceof Date) || Number.isNaN(entry.time.getTime())) {
      this.droppedCount += 1;
      return;
    }
    // A copy, so a caller reusing its object cannot change what gets logged.
    this.queue.push({ ...entry, time: new Date(entry.time.getTime()) });
    this.writing ??= new Promise<void>((resolve): void => {
      setImmediate(resolve);
    }).then(async(): Promise<void> => this.drain());
  }

  /** Resolves once everything recorded so far is on disk (for tests and shutdown). */
  public async flush(): Promise<void> {
    while (this.writing) {
      await this.writing;
    }
  }

  private async drain(): Promise<void> {
    let batch: AuditEntry[] = [];
    try {
      await fs.mkdir(this.folder, { recursive: true });
      while (this.queue.length > 0) {
        batch = this.queue;
        this.queue = [];
        const lines = batch.map(serialiseAuditEntry);
        await (this.exclusively ?
          this.exclusively(async(): Promise<void> => {
            this.currentSize = undefined;
            await this.writeBatch(lines);
          }) :
          this.writeBatch(lines));
        batch = [];
      }
    } catch (error: unknown) {
      // What failed may be partly written; count it all as lost rather than risk writing it twice.
      this.droppedCount += batch.length + this.queue.length;
      this.queue = [];
      this.currentSize = undefined;
      this.onError(error);
    } finally {
      this.writing = undefined;
    }
  }

  // Lines are grouped into one append per file; a file is rotated before a line would overflow it.
  private async writeBatch(lines: string[]): Promise<void> {
    this.currentSize ??= await this.getFileSize(join(this.folder, getLogFileName(0)));
    let chunk = '';
    let chunkBytes = 0;
    for (const line of lines) {
      const bytes = Buffer.byteLength(line);
      if (bytes > this.maxFileBytes) {
        this.droppedCount += 1;
        continue;
      }
      if (this.currentSize + chunkBytes + bytes > this.maxFileBytes) {
        await this.append(chunk);
        await this.rotate();
        chunk = '';
        chunkBytes = 0;
      }
      chunk += line;
      chunkBytes += bytes;
    }
    await this.append(chunk);
    this.currentSize += chunkBytes;
  }

  private async append(chunk: string): Promise<void> {
    if (chunk.length > 0) {
      await fs.appendFile(join(this.folder, getLogFileName(0)), chunk, { mode: 0o600 });
    }
  }

  // access.log → access.1.log → … → access.<maxFiles-1>.log; the oldest is overwritten.
  private async rotate(): Promise<void> {
    for (let index = this.maxFiles - 1; index > 0; index -= 1) {
      await fs.rename(join(this.folder, getLogFileName(index - 1)), join(this.folder, getLogFileName(index)))
        .catch((error: NodeJS.ErrnoException): void => {
          if (error.code !== 'ENOENT') {
            throw error;
          }
        });
    }
    if (this.maxFiles === 1) {
      await fs.rm(join(this.folder, getLogFileName(0)), { force: true });
    }
    this.currentSize = 0;
  }

  private async getFileSize(path: string): Promise<number> {
    try {
      return (await fs.stat(path)).size;
    } catch (error: unknown) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') {
        return 0;
      }
      throw error;
    }
  }
}
