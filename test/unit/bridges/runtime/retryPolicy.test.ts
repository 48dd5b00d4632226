import { strict as assert } from 'node:assert';
import type { RetryPolicy } from '../../../../bridges/runtime/retryPolicy';
import { decideNextAttempt, DEFAULT_RETRY_POLICY, parseRetryAfter } from '../../../../bridges/runtime/retryPolicy';

const NOW = Date.parse('2026-12-01T12:00:00Z');
const POLICY: RetryPolicy = { baseMs: 1_000, capMs: 600_000, maxAttempts: 10 };
const ALMOST_ONE = 1 - Number.EPSILON;

function delay(attempts: number, random: number, retryAfterMs?: number): number {
  const decision = decideNextAttempt({ attempts, error: 'HTTP 503', now: NOW, retryAfterMs, random: (): number => random }, POLICY);
  assert.ok('retryAt' in decision, JSON.stringify(decision));
  return decision.retryAt - NOW;
}

describe('retryPolicy', (): void => {
  it('waits a random time up to base × 2^(attempts−1), capped.', (): void => {
    assert.deepEqual([ 1, 2, 3, 4 ].map((attempts): number => delay(attempts, ALMOST_ONE)), [ 999, 1_999, 3_999, 7_999 ]);
    assert.equal(delay(1, 0), 0, 'full jitter starts at no delay');
    assert.equal(delay(3, 0.5), 2_000);
    assert.equal(delay(9, ALMOST_ONE), 255_999);
    const capped = { ...POLICY, maxAttempts: 1_000 };
    for (const attempts of [ 11, 50, 999 ]) {
      const decision = decideNextAttempt({ attempts, error: 'e', now: NOW, random: (): number => ALMOST_ONE }, capped);
      assert.deepEqual(decision, { retryAt: NOW + 599_999 }, `attempt ${attempts}`);
    }
  });

  it('is never earlier than Retry-After, and later if the backoff says so.', (): void => {
    assert.equal(delay(1, 0.5, 30_000), 30_000);
    assert.equal(delay(1, ALMOST_ONE, 30_000), 30_000);
    assert.equal(delay(8, 0.5, 30_000), 64_000);
    assert.equal(delay(2, 0.5, 0), 1_000);
    assert.equal(delay(2, 0, 3_600_000), 3_600_000, 'beyond the cap too: the target said so');
  });

  it('gives up after maxAttempts, saying how often and why.', (): void => {
    assert.ok('retryAt' in decideNextAttempt({ attempts: 9, error: 'HTTP 502', now: NOW, random: Math.random }, POLICY));
    assert.deepEqual(decideNextAttempt({ attempts: 10, error: 'HTTP 502: Bad Gateway', now: NOW, random: Math.random }, POLICY),
      { deadLetter: 'gave up after 10 attempts: HTTP 502: Bad Gateway' });
    assert.deepEqual(decideNextAttempt({ attempts: 3, error: 'HTTP 429', now: NOW, random: Math.random }, { ...POLICY, maxAttempts: 3 }),
      { deadLetter: 'gave up after 3 attempts: HTTP 429' });
  });

  it('has defaults of 1 s, 10 min and 10 attempts.', (): void => {
    assert.deepEqual({ ...DEFAULT_RETRY_POLICY }, POLICY);
    assert.deepEqual(decideNextAttempt({ attempts: 1, error: 'e', now: NOW, random: (): number => 0.5 }), { retryAt: NOW + 500 });
  });

  it('reads Retry-After as seconds or as an HTTP date.', (): void => {
    assert.equal(parseRetryAfter('120', NOW), 120_000);
    assert.equal(parseRetryAfter(' 0 ', NOW), 0);
    assert.equal(parseRetryAfter('Tue, 01 Dec 2026 12:01:30 GMT', NOW), 90_000);
    assert.equal(parseRetryAfter('Tue, 01 Dec 2026 11:00:00 GMT', NOW), 0, 'a date in the past means now');
    for (const unreadable of [ undefined, null, '', '1.5', '-3', 'soon' ]) {
      assert.equal(parseRetryAfter(unreadable, NOW), undefined, String(unreadable));
    }
  });
});
