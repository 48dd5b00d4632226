/** Waits `ms` milliseconds. */
export async function sleep(ms: number): Promise<void> {
  await new Promise((resolve): void => {
    setTimeout(resolve, ms);
  });
}

/** Polls `check` until it returns something truthy, or fails with `what` after `ms` (a loaded CI machine is slow). */
export async function eventually<T>(what: string, check: () => Promise<T | undefined | false> | T | undefined | false, ms = 60_000):
Promise<T> {
  const deadline = Date.now() + ms;
  for (;;) {
    const value = await check();
    if (value) {
      return value;
    }
    if (Date.now() > deadline) {
      throw new Error(`Timed out waiting for ${what}`);
    }
    await sleep(100);
  }
}
