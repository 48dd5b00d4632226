import { RateLimitSettings } from '../../../pod-server/ratelimit/RateLimitSettings';

/** Settings as the server's defaults, with some changed. */
export function settingsWith(changes: Partial<Record<'enabled' | 'signups' | 'logins' | 'loginFailures' | 'loginDelay' |
'loginMaxDelay' | 'consentWrites' | 'inboxPosts', string> & { trustedProxies: number }> = {}): RateLimitSettings {
  const values = { enabled: 'on', signups: '30/1h', logins: '100/15m', loginFailures: '10/15m', loginDelay: '1m',
    loginMaxDelay: '1h', consentWrites: '600/1h', inboxPosts: '600/1h', trustedProxies: 0, ...changes };
  return new RateLimitSettings(values.enabled, values.signups, values.logins, values.loginFailures, values.loginDelay,
    values.loginMaxDelay, values.consentWrites, values.inboxPosts, values.trustedProxies);
}
