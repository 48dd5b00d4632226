import { chmodSync, closeSync, mkdirSync, openSync } from 'node:fs';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import type { JobHandler, JobOutcome, Outbox, OutboxJob, OutboxJobInput, WorkOptions } from './Outbox';

/** The outbox's file name inside the folder it is given (`<data>/bridges`). */
export const OUTBOX_FILE_NAME = 'outbox.sqlite';

/** A job as stored: `dead_reason` set means a dead letter, `claimed_until` set means claimed (maybe expired). */
interface JobRow {
  id: number;
  target: string;
  member: string;
  key: string;
  kind: string;
  payload: string | null;
  attempts: number;
  available_at: number;
  enqueued_at: number;
  claimed_until: number | null;
  last_error: string | null;
  dead_reason: string | null;
}

// Version 1 of the schema; `user_version` tells a later version what it opens.
const SCHEMA = `
CREATE TABLE IF NOT EXISTS jobs (
  id INTEGER PRIMARY KEY AUTOINCREMENT,
  target TEXT NOT NULL, member TEXT NOT NULL, key TEXT NOT NULL, kind TEXT NOT NULL,
  payload TEXT,
  attempts INTEGER NOT NULL DEFAULT 0,
  available_at INTEGER NOT NULL,
  enqueued_at INTEGER NOT NULL,
  claimed_until INTEGER,
  last_error TEXT,
  dead_reason TEXT
);
CREATE INDEX IF NOT EXISTS jobs_by_key ON jobs (target, member, key, enqueued_at, id);
CREATE INDEX IF NOT EXISTS jobs_pending_by_age ON jobs (enqueued_at, id) WHERE dead_reason IS NULL;
PRAGMA user_version = 1;
`;

const SAME_KEY = 'o.target = j.target AND o.member = j.member AND o.key = j.key AND o.dead_reason IS NULL AND o.id <> j.id';

// The oldest due job that is first in its key's order and whose key has no live claim.
const NEXT_CLAIMABLE = `
SELECT j.* FROM jobs j
WHERE j.dead_reason IS NULL AND j.available_at <= @now AND (j.claimed_until IS NULL OR j.claimed_until <= @now)
  AND NOT EXISTS (SELECT 1 FROM jobs o WHERE ${SAME_KEY}
    AND ((o.enqueued_at, o.id) < (j.enqueued_at, j.id) OR o.claimed_until > @now))
ORDER BY j.enqueued_at, j.id LIMIT 1`;

// Leases end (or jobs complete) first; otherwise the first job of each unclaimed key becomes due.
const NEXT_DUE_AT = `
SELECT MIN(t) AS due FROM (
  SELECT claimed_until AS t FROM jobs WHERE dead_reason IS NULL AND claimed_until IS NOT NULL
  UNION ALL
  SELECT j.available_at AS t FROM jobs j WHERE j.dead_reason IS NULL AND j.claimed_until IS NULL
    AND NOT EXISTS (SELECT 1 FROM jobs o WHERE ${SAME_KEY}
      AND ((o.enqueued_at, o.id) < (j.enqueued_at, j.id) OR o.claimed_until IS NOT NULL)))`;

const NEWEST_OF_KEY = `
SELECT * FROM jobs WHERE target = @target AND member = @member AND key = @key AND dead_reason IS NULL
ORDER BY enqueued_at DESC, id DESC LIMIT 1`;

// The job right after a given one in its key's order.
const NEXT_OF_KEY = `
SELECT o.* FROM jobs j JOIN jobs o ON ${SAME_KEY} AND (o.enqueued_at, o.id) > (j.enqueued_at, j.id)
WHERE j.id = ? ORDER BY o.enqueued_at, o.id LIMIT 1`;

const LEASE_RAN_OUT = 'the lease ran out before the job was completed (the worker stopped?)';

/** How long a claimed job is a worker's before another may take it (a worker that died). */
const LEASE_MS = 60_000;
/** A handler that throws (it should not) is tried again after this. */
const AFTER_A_THROW_MS = 5_000;

/**
 * The embedded {@link Outbox}: one SQLite file (`outbox.sqlite`, mode 0600) in WAL mode with full sync, each change
 * in one transaction, so a job recorded by `add` survives a SIGKILL or power loss and is never half-written.
 * Several processes may open the same file; claims are atomic.
 */
export class SqliteOutbox implements Outbox {
  private readonly db: Database.Database;
  private readonly statements = new Map<string, Database.Statement>();
  private running = false;
  /** The loops asleep, each woken by `add` or by the end of a job here (the next job of its key may be due). */
  private readonly sleepers = new Set<() => void>();
  private loops: Promise<void>[] = [];

  /**
   * @param folder - Where to keep the file, e.g. `<data>/bridges` (created with mode 0700 if missing).
   * @param clock - The time `add` records (ms since the epoch).
   */
  public constructor(folder: string, private readonly clock: () => number = Date.now) {
    mkdirSync(folder, { recursive: true, mode: 0o700 });
    const file = join(folder, OUTBOX_FILE_NAME);
    // Create it ourselves so it is never readable by others, not even for a moment; SQLite gives -wal and -shm the same mode.
    closeSync(openSync(file, 'a', 0o600));
    chmodSync(file, 0o600);
    this.db = new Database(file);
    this.db.pragma('journal_mode = WAL');
    this.db.pragma('synchronous = FULL');
    this.db.pragma('busy_timeout = 5000');
    this.db.exec(SCHEMA);
  }

  public async add(job: OutboxJobInput, availableAt?: number): Promise<void> {
    const now = this.clock();
    const at = availableAt ?? now;
    const payload = job.payload === undefined ? null : JSON.stringify(job.payload);
    this.immediately((): void => {
      const identity = { target: job.target, member: job.member, key: job.key, kind: job.kind };
      const newest = this.statement(NEWEST_OF_KEY).get(identity) as JobRow | undefined;
      if (newest && newest.kind === job.kind && newest.claimed_until === null) {
        this.statement('UPDATE jobs SET payload = ?, available_at = MAX(available_at, ?) WHERE id = ?')
          .run(payload, at, newest.id);
      } else {
        this.statement(`INSERT INTO jobs (target, member, key, kind, payload, available_at, enqueued_at)
          VALUES (@target, @member, @key, @kind, @payload, @at, @now)`).run({ ...identity, payload, at, now });
      }
      // A newer change supersedes a refused one: retrying the old payload later would undo it.
      this.statement(`DELETE FROM jobs WHERE target = @target AND member = @member AND key = @key AND kind = @kind
        AND dead_reason IS NOT NULL`).run(identity);
    });
    this.wakeAll();
  }

  /** Claims and works jobs in `parallel` loops, each sleeping until the next job is due (or one is added here). */
  public startWorking(handle: JobHandler, options: WorkOptions): void {
    this.running = true;
    this.loops = Array.from({ length: options.parallel }, async(): Promise<void> => this.loop(handle, options.onIdle));
  }

  public async stopWorking(): Promise<void> {
    this.running = false;
    this.wakeAll();
    await Promise.all(this.loops);
    this.loops = [];
  }

  /**
   * Claims the next due job (availableAt <= now), oldest first, for leaseMs; a job whose lease ran out (the worker
   * died) is due again and counts an attempt. Jobs with the same target+member+key are never claimed twice at once,
   * and never out of order (per-key order).
   */
  public async claim(now: number, leaseMs: number): Promise<OutboxJob | undefined> {
    return this.immediately((): OutboxJob | undefined => {
      const row = this.statement(NEXT_CLAIMABLE).get({ now }) as JobRow | undefined;
      if (!row) {
        return undefined;
      }
      if (row.claimed_until !== null) {
        // Its worker died mid-attempt: count that attempt, so a job that kills workers ends in the dead letters.
        row.attempts += 1;
        row.last_error = LEASE_RAN_OUT;
      }
      this.statement('UPDATE jobs SET claimed_until = ?, attempts = ?, last_error = ? WHERE id = ?')
        .run(now + leaseMs, row.attempts, row.last_error, row.id);
      return { ...toJob(row), ...row.claimed_until === null ? {} : { resumed: true }};
    });
  }

  /** Removes a job that was sent. Unknown ids (e.g. forgotten meanwhile) are ignored. */
  public async complete(id: number): Promise<void> {
    this.statement('DELETE FROM jobs WHERE id = ?').run(id);
  }

  /** Releases the claim and schedules the job again at `at`, counting the attempt and keeping the error. */
  public async retryLater(id: number, at: number, error: string): Promise<void> {
    this.statement(`UPDATE jobs SET claimed_until = NULL, available_at = ?, attempts = attempts + 1, last_error = ?
      WHERE id = ? AND dead_reason IS NULL`).run(at, error, id);
  }

  /**
   * Moves the job to the dead letters with the target's reason, counting the attempt; a newer job of the same key and
   * kind already queued replaces it instead.
   */
  public async deadLetter(id: number, reason: string): Promise<void> {
    this.immediately((): void => {
      const next = this.statement(NEXT_OF_KEY).get(id) as JobRow | undefined;
      const kind = (this.statement('SELECT kind FROM jobs WHERE id = ?').get(id) as { kind: string } | undefined)?.kind;
      if (next && next.kind === kind) {
        // A newer change of the same kind is already queued: it replaces the refused one, as coalescing would have.
        this.statement('DELETE FROM jobs WHERE id = ?').run(id);
        return;
      }
      this.statement(`UPDATE jobs SET claimed_until = NULL, attempts = attempts + 1, last_error = @reason,
        dead_reason = @reason WHERE id = @id`).run({ id, reason });
    });
  }

  public async deadLetters(target: string, member: string): Promise<OutboxJob[]> {
    const rows = this.statement(`SELECT * FROM jobs WHERE target = ? AND member = ? AND dead_reason IS NOT NULL
      ORDER BY enqueued_at, id`).all(target, member) as JobRow[];
    return rows.map(toJob);
  }

  public async retryDeadLetters(target: string, member: string, now: number): Promise<number> {
    return this.statement(`UPDATE jobs SET dead_reason = NULL, attempts = 0, available_at = ?
      WHERE target = ? AND member = ? AND dead_reason IS NOT NULL`).run(now, target, member).changes;
  }

  public async counts(target: string, member: string): Promise<{ pending: number; dead: number }> {
    return this.statement(`SELECT COUNT(*) - COUNT(dead_reason) AS pending, COUNT(dead_reason) AS dead
      FROM jobs WHERE target = ? AND member = ?`).get(target, member) as { pending: number; dead: number };
  }

  /**
   * When the next job becomes due (or a claim's lease runs out), to sleep until then (undefined if none). Jobs waiting
   * behind a claimed job of their key are not counted: `add` and the end of a job in this process wake the loops too.
   */
  public async nextDueAt(): Promise<number | undefined> {
    return (this.statement(NEXT_DUE_AT).get() as { due: number | null }).due ?? undefined;
  }

  public async forget(target: string, member: string): Promise<void> {
    this.statement('DELETE FROM jobs WHERE target = ? AND member = ?').run(target, member);
  }

  public async close(): Promise<void> {
    await this.stopWorking();
    this.db.close();
  }

  private async loop(handle: JobHandler, onIdle?: () => Promise<void>): Promise<void> {
    while (this.running) {
      const job = await this.claim(this.clock(), LEASE_MS);
      if (job) {
        await this.settle(job.id, await handle(job).catch((error: Error): JobOutcome =>
          ({ retryAt: this.clock() + AFTER_A_THROW_MS, error: error.message })));
        this.wakeAll();
        continue;
      }
      await onIdle?.();
      const due = await this.nextDueAt();
      await new Promise<void>((resolve): void => {
        const timer = setTimeout((): void => wake(), due === undefined ? 1000 : Math.min(1000, Math.max(0, due - this.clock())));
        const wake = (): void => {
          clearTimeout(timer);
          this.sleepers.delete(wake);
          resolve();
        };
        this.sleepers.add(wake);
      });
    }
  }

  private wakeAll(): void {
    for (const wake of [ ...this.sleepers ]) {
      wake();
    }
  }

  private async settle(id: number, outcome: JobOutcome): Promise<void> {
    if ('done' in outcome) {
      await this.complete(id);
    } else if ('retryAt' in outcome) {
      await this.retryLater(id, outcome.retryAt, outcome.error);
    } else {
      await this.deadLetter(id, outcome.deadLetter);
    }
  }

  /** Prepares each SQL text once. */
  private statement(sql: string): Database.Statement {
    let statement = this.statements.get(sql);
    if (!statement) {
      statement = this.db.prepare(sql);
      this.statements.set(sql, statement);
    }
    return statement;
  }

  /** Runs `work` in one write transaction, taken at once so two processes never deadlock upgrading a read. */
  private immediately<T>(work: () => T): T {
    return this.db.transaction(work).immediate();
  }
}

function toJob(row: JobRow): OutboxJob {
  return {
    id: row.id,
    target: row.target,
    member: row.member,
    key: row.key,
    kind: row.kind,
    ...row.payload === null ? {} : { payload: JSON.parse(row.payload) as unknown },
    attempts: row.attempts,
    availableAt: row.available_at,
    enqueuedAt: row.enqueued_at,
    ...row.last_error === null ? {} : { lastError: row.last_error },
  };
}
