/**
 * Calls `renew` every `everyMs` until the returned function is called, so something held in Redis with an expiry stays
 * held while its holder lives and lapses soon after it dies. A failed renewal is reported to `onFailure` (the hold may
 * be lost); the timer never keeps the process alive.
 */
export function keepRenewing(renew: () => Promise<unknown>, everyMs: number, onFailure: (error: Error) => void = (): void => undefined):
() => void {
  const timer = setInterval((): void => {
    renew().catch(onFailure);
  }, everyMs);
  timer.unref();
  return (): void => clearInterval(timer);
}
