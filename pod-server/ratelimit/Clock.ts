/** Tells the time, in milliseconds since the epoch; injected so that expiry can be tested without waiting. */
export interface Clock {
  now: () => number;
}

/** The system's clock. */
export class SystemClock implements Clock {
  public now(): number {
    return Date.now();
  }
}
