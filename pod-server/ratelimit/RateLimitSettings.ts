import type { RateLimit } from './RateLimit';
import { parseDurationFor, parseRateLimit, RateLimitSettingError } from './RateLimit';

/**
 * The FMP's rate limits, read from the server's `--rate-limit-…` options (`urn:fmp:variable:rateLimit…`). A wrong
 * value stops the server at start with a message naming the option.
 */
export class RateLimitSettings {
  /** False only when the operator turned the limits off (`--rate-limits off`), e.g. for benchmarks. */
  public readonly enabled: boolean;
  /** Account creations per client address. */
  public readonly signups: RateLimit;
  /** Password login attempts per client address, failed or not. */
  public readonly logins: RateLimit;
  /** Failed password logins per e-mail address before each further attempt must wait. */
  public readonly loginFailures: RateLimit;
  /** The first wait after `loginFailures` (milliseconds); it doubles with each further failure. */
  public readonly loginDelay: number;
  /** The longest wait between password attempts for one e-mail address (milliseconds). */
  public readonly loginMaxDelay: number;
  /** Consent API writes per client address and per account (WebID). */
  public readonly consentWrites: RateLimit;
  /** Posts to the FMP's and members' inboxes per client address and per account (WebID). */
  public readonly inboxPosts: RateLimit;
  /** How many proxies in front of the FMP append to `X-Forwarded-For`; 0 ignores that header. */
  public readonly trustedProxies: number;

  /**
   * @param enabled - `on` or `off` (`--rate-limits`).
   * @param signups - e.g. `30/1h` (`--rate-limit-signups`).
   * @param logins - e.g. `100/15m` (`--rate-limit-logins`).
   * @param loginFailures - e.g. `10/15m` (`--rate-limit-login-failures`).
   * @param loginDelay - e.g. `1m` (`--rate-limit-login-delay`).
   * @param loginMaxDelay - e.g. `1h` (`--rate-limit-login-max-delay`).
   * @param consentWrites - e.g. `600/1h` (`--rate-limit-consent`).
   * @param inboxPosts - e.g. `600/1h` (`--rate-limit-inbox`).
   * @param trustedProxies - e.g. `0` (`--trust-proxy`).
   */
  public constructor(enabled: string, signups: string, logins: string, loginFailures: string, loginDelay: string,
    loginMaxDelay: string, consentWrites: string, inboxPosts: string, trustedProxies: number) {
    this.enabled = parseSwitch(enabled);
    this.signups = parseRateLimit('sign-up rate limit', signups);
    this.logins = parseRateLimit('login rate limit', logins);
    this.loginFailures = parseRateLimit('login failure limit', loginFailures);
    this.loginDelay = parseDurationFor('login delay', loginDelay);
    this.loginMaxDelay = parseDurationFor('longest login delay', loginMaxDelay);
    this.consentWrites = parseRateLimit('consent write rate limit', consentWrites);
    this.inboxPosts = parseRateLimit('inbox post rate limit', inboxPosts);
    this.trustedProxies = Number(trustedProxies);
    if (!Number.isSafeInteger(this.trustedProxies) || this.trustedProxies < 0) {
      throw new RateLimitSettingError(`Invalid count of trusted proxies "${trustedProxies}": use 0 (none) or more.`);
    }
    if (this.loginMaxDelay < this.loginDelay) {
      throw new RateLimitSettingError('The longest login delay must not be shorter than the first one.');
    }
  }
}

function parseSwitch(text: string): boolean {
  const value = String(text).trim().toLowerCase();
  if (value !== 'on' && value !== 'off') {
    throw new RateLimitSettingError(`Invalid rate limit switch "${text}": use on or off.`);
  }
  return value === 'on';
}
