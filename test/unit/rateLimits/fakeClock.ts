import type { Clock } from '../../../pod-server/ratelimit/Clock';

/** A clock the test moves by hand. */
export class FakeClock implements Clock {
  public constructor(private time = Date.UTC(2026, 11, 1, 9, 0, 0)) {}

  public now(): number {
    return this.time;
  }

  /** Moves the clock on by `milliseconds`. */
  public advance(milliseconds: number): void {
    this.time += milliseconds;
  }
}

export const SECOND = 1000;
export const MINUTE = 60 * SECOND;
export const HOUR = 60 * MINUTE;
