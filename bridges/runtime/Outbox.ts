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
  /** Its last attempt's worker stopped mid-job (killed, lost): what it sent may not be recorded yet. */
  resumed?: boolean;
}

/** How a job went, as the handler tells the outbox. */
export type JobOutcome =
  /** Sent (or nothing to send): the job is removed. */
  | { readonly done: true }
  /** Failed for now: tried again at `retryAt` (ms since the epoch), the attempt counted and the error kept. */
  | { readonly retryAt: number; readonly error: string }
  /** Refused: a dead letter with the target's reason, the attempt counted. */
  | { readonly deadLetter: string };

/** Works one job; it should not throw (a throw is taken as a failure to try again a little later). */
export type JobHandler = (job: OutboxJob) => Promise<JobOutcome>;

/** How an outbox works its jobs. */
export interface WorkOptions {
  /** How many jobs run at once in this process. */
  readonly parallel: number;
  /** Called when there is nothing to do for now (e.g. to write what was batched). */
  readonly onIdle?: () => Promise<void>;
}

/**
 * The durable queue between a pod change and a target: the embedded {@link SqliteOutbox}, or {@link BullMqOutbox} on
 * Redis when several processes or machines work one queue. The outbox runs the jobs itself (`startWorking`), so each
 * store uses its own way of handing a job to one worker only.
 *
 * Order: jobs of one target+member+key run one at a time, across every process working the outbox, and a change
 * recorded while a job of its key runs is worked after it. Every handler reads the current state again (the pod, the
 * target), so a change merged into a waiting job of its key loses nothing.
 */
export interface Outbox {
  /**
   * Records a change durably before anything is sent. A job of the same target, member and key that waits (is not
   * running) may take the change in (coalescing: one job, run once); one that runs is followed by a new job. A dead
   * letter of the same target, member, key and kind is superseded (removed). `availableAt` defaults to now.
   */
  add(job: OutboxJobInput, availableAt?: number): Promise<void>;
  /** Starts working due jobs with `handle` (until {@link stopWorking}). */
  startWorking(handle: JobHandler, options: WorkOptions): void;
  /** Stops taking jobs and waits for the running ones to end. */
  stopWorking(): Promise<void>;
  /** The member's dead letters at the target, oldest first, each with its reason in `lastError`. */
  deadLetters(target: string, member: string): Promise<OutboxJob[]>;
  /** Puts the member's dead letters back in the queue (after a fix), due at `now` with fresh attempts; returns how many. */
  retryDeadLetters(target: string, member: string, now: number): Promise<number>;
  /** Pending (incl. running) and dead counts. */
  counts(target: string, member: string): Promise<{ pending: number; dead: number }>;
  /** Forgets everything of a member at a target (disconnect). */
  forget(target: string, member: string): Promise<void>;
  /** Stops working and lets go of the store. */
  close(): Promise<void>;
}
