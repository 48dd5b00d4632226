/** A change to send to a target: what a bridge records before it sends anything. */
export interface OutboxJobInput {
  /** The target, e.g. `shopify`. */
  target: string;
  /** The member whose data changed. */
  member: string;
  /** What changed, e.g. a pod resource; jobs of one key run one at a time, in order. */
  key: string;
  /** What to do with it, e.g. `upsert` or `delete`. */
  kind: string;
  /** Anything JSON can hold; it is stored as JSON. */
  payload?: unknown;
}

/** A recorded job, as the outbox hands it out. */
export interface OutboxJob extends OutboxJobInput {
  id: number;
  /** Attempts that failed so far (a lease that ran out counts as one). */
  attempts: number;
  /** Not claimed before this time (ms since the epoch). */
  availableAt: number;
  /** When the change was first recorded; coalescing keeps the earliest. */
  enqueuedAt: number;
  /** The last failure; for a dead letter, the target's reason. */
  lastError?: string;
}

/**
 * The durable queue between a pod change and a target. Kept small and async so a Redis/bullmq one can replace the
 * embedded {@link SqliteOutbox}.
 *
 * Order: jobs of one target+member+key run one at a time, in the order they were recorded.
 */
export interface Outbox {
  /**
   * Records a change durably before anything is sent. If the newest pending job of the same target, member and key
   * has the same kind and is not claimed, it is replaced (coalesced: the newest payload wins, the earliest enqueuedAt,
   * the attempts and the later availableAt stay); a claimed one is left alone, so the new job runs after it. A dead
   * letter of the same target, member, key and kind is superseded (removed). `availableAt` defaults to now.
   */
  add(job: OutboxJobInput, availableAt?: number): Promise<void>;
  /**
   * Claims the next due job (availableAt <= now), oldest first, for leaseMs; a job whose lease ran out (the worker
   * died) is due again and counts an attempt. Jobs with the same target+member+key are never claimed twice at once,
   * and never out of order (per-key order).
   */
  claim(now: number, leaseMs: number): Promise<OutboxJob | undefined>;
  /** Removes a job that was sent. Unknown ids (e.g. forgotten meanwhile) are ignored. */
  complete(id: number): Promise<void>;
  /** Releases the claim and schedules the job again at `at`, counting the attempt and keeping the error. */
  retryLater(id: number, at: number, error: string): Promise<void>;
  /** Moves the job to the dead letters with the target's reason, counting the attempt. */
  deadLetter(id: number, reason: string): Promise<void>;
  /** The member's dead letters at the target, oldest first, each with its reason in `lastError`. */
  deadLetters(target: string, member: string): Promise<OutboxJob[]>;
  /** Puts the member's dead letters back in the queue (after a fix), due at `now` with fresh attempts; returns how many. */
  retryDeadLetters(target: string, member: string, now: number): Promise<number>;
  /** Pending (incl. claimed) and dead counts. */
  counts(target: string, member: string): Promise<{ pending: number; dead: number }>;
  /**
   * When the next job becomes due (or a claim's lease runs out), to sleep until then (undefined if none). Jobs waiting
   * behind a claimed job of their key are not counted: wake up on `complete` in the same process as well.
   */
  nextDueAt(): Promise<number | undefined>;
  /** Forgets everything of a member at a target (disconnect). */
  forget(target: string, member: string): Promise<void>;
  close(): Promise<void>;
}
