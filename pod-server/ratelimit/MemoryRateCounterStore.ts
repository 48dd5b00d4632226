import type { Clock } from './Clock';
import type { RateCounter, RateCounterStore } from './RateCounterStore';

/** Expired counters dropped, at most, per write: cleaning up stays cheap however many have piled up. */
const SWEEP_PER_WRITE = 4;

/**
 * Rate counters in this process's memory, for one FMP process. Memory stays bounded: a Map keeps its keys in the
 * order they were last written, so each write first drops a few expired counters from the old end and then, past
 * `maxEntries`, the counter written longest ago (expired ones are usually there already).
 */
export class MemoryRateCounterStore implements RateCounterStore {
  private readonly counters = new Map<string, RateCounter>();

  /**
   * @param clock - Tells the time counters expire by.
   * @param maxEntries - The most counters kept at once.
   */
  public constructor(private readonly clock: Clock, private readonly maxEntries = 100_000) {}

  public async increment(key: string, lifetime: number): Promise<RateCounter> {
    const current = this.read(key);
    const next = current ?
      { value: current.value + 1, expiresAt: current.expiresAt } :
      { value: 1, expiresAt: this.clock.now() + lifetime };
    this.write(key, next);
    return { ...next };
  }

  public async get(key: string): Promise<RateCounter | undefined> {
    const counter = this.read(key);
    return counter && { ...counter };
  }

  public async set(key: string, counter: RateCounter): Promise<void> {
    this.write(key, { ...counter });
  }

  public async delete(key: string): Promise<void> {
    this.counters.delete(key);
  }

  /** How many counters are kept now, expired ones not yet dropped included. */
  public get size(): number {
    return this.counters.size;
  }

  private read(key: string): RateCounter | undefined {
    const counter = this.counters.get(key);
    if (counter && counter.expiresAt <= this.clock.now()) {
      this.counters.delete(key);
      return undefined;
    }
    return counter;
  }

  private write(key: string, counter: RateCounter): void {
    // Deleting first moves the key to the end of the Map's order.
    this.counters.delete(key);
    this.counters.set(key, counter);
    this.evict();
  }

  private evict(): void {
    const now = this.clock.now();
    let swept = 0;
    for (const [ key, counter ] of this.counters) {
      const full = this.counters.size > this.maxEntries;
      if (!full && (swept >= SWEEP_PER_WRITE || counter.expiresAt > now)) {
        return;
      }
      this.counters.delete(key);
      swept += 1;
    }
  }
}
