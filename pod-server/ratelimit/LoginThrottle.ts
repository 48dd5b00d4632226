import type { Clock } from './Clock';
import { secondsUntil } from './RateLimit';
import type { RateCounterStore } from './RateCounterStore';
import type { RateLimitSettings } from './RateLimitSettings';

/** How long an address stays known for an e-mail address after a successful login from it. */
const KNOWN_ADDRESS_PERIOD = 30 * 24 * 60 * 60 * 1000;

/**
 * Slows down password guessing for one e-mail address. After `loginFailures.count` failures within
 * `loginFailures.window`, each further attempt must wait `loginDelay`, doubled with every further failure up to
 * `loginMaxDelay`; attempts while waiting are refused before the password is checked, and not counted. The failures
 * are forgotten one window after the last wait ends, and at once after a successful login.
 *
 * So that guessing from elsewhere cannot keep the owner out, failures are counted apart for each address the e-mail
 * address logged in from successfully within 30 days (a "known" address); all other addresses share one count. Guessing
 * from a known address (a shared network) is slowed down just the same, on its own count.
 */
export class LoginThrottle {
  /**
   * @param store - Where the failure counts, waits and known addresses are kept.
   * @param clock - Tells the time.
   * @param settings - The number of failures, their window and the delays.
   */
  public constructor(private readonly store: RateCounterStore, private readonly clock: Clock,
    private readonly settings: RateLimitSettings) {}

  /** The seconds an attempt for `email` from `address` must still wait, or undefined if it may go ahead. */
  public async secondsToWait(email: string, address: string): Promise<number | undefined> {
    const wait = await this.store.get(`login-wait|${await this.countKeyOf(email, address)}`);
    return wait && secondsUntil(wait.expiresAt, this.clock.now());
  }

  /** Counts a wrong password (or unknown e-mail address); from the threshold on, makes the next attempt wait. */
  public async recordFailure(email: string, address: string): Promise<void> {
    const key = await this.countKeyOf(email, address);
    const { count, window } = this.settings.loginFailures;
    const failures = await this.store.increment(`login-failures|${key}`, window);
    if (failures.value < count) {
      return;
    }
    const now = this.clock.now();
    const waitUntil = now + this.delayAfter(failures.value - count);
    await this.store.set(`login-wait|${key}`, { value: failures.value, expiresAt: waitUntil });
    // The streak goes on while the attempts go on, so the delay keeps growing.
    await this.store.set(`login-failures|${key}`,
      { value: failures.value, expiresAt: Math.max(failures.expiresAt, waitUntil + window) });
  }

  /** Forgets the failures the attempt was counted with, and knows `address` for `email` from now on. */
  public async recordSuccess(email: string, address: string): Promise<void> {
    const key = await this.countKeyOf(email, address);
    await this.store.delete(`login-failures|${key}`);
    await this.store.delete(`login-wait|${key}`);
    await this.store.set(`login-known|${email}|${address}`, { value: 1, expiresAt: this.clock.now() + KNOWN_ADDRESS_PERIOD });
  }

  private async countKeyOf(email: string, address: string): Promise<string> {
    const known = await this.store.get(`login-known|${email}|${address}`);
    return known ? `${email}|${address}` : email;
  }

  /** The first delay doubled `extraFailures` times, at most the longest delay. */
  private delayAfter(extraFailures: number): number {
    const { loginDelay, loginMaxDelay } = this.settings;
    return Math.min(loginMaxDelay, loginDelay * 2 ** Math.min(extraFailures, 40));
  }
}
