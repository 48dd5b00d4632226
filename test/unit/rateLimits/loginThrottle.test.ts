import { strict as assert } from 'node:assert';
import { LoginThrottle } from '../../../pod-server/ratelimit/LoginThrottle';
import { MemoryRateCounterStore } from '../../../pod-server/ratelimit/MemoryRateCounterStore';
import { FakeClock, HOUR, MINUTE, SECOND } from './fakeClock';
import { settingsWith } from './settings';

const OWNER = 'farm@greenacres.example';
const HOME = '198.51.100.7';
const ATTACKER = '203.0.113.66';
const ELSEWHERE = '192.0.2.1';

describe('LoginThrottle (failed password logins per e-mail address)', (): void => {
  let clock: FakeClock;
  let throttle: LoginThrottle;

  beforeEach((): void => {
    clock = new FakeClock();
    throttle = new LoginThrottle(new MemoryRateCounterStore(clock), clock, settingsWith());
  });

  async function fail(times: number, address = ATTACKER, email = OWNER): Promise<void> {
    for (let index = 0; index < times; index += 1) {
      assert.equal(await throttle.secondsToWait(email, address), undefined, `attempt ${index + 1} may go ahead`);
      await throttle.recordFailure(email, address);
    }
  }

  it('lets 10 failures within 15 minutes through, then makes the next attempt wait a minute.', async(): Promise<void> => {
    await fail(9);
    clock.advance(14 * MINUTE);
    await fail(1);
    assert.equal(await throttle.secondsToWait(OWNER, ATTACKER), 60);
    assert.equal(await throttle.secondsToWait(OWNER, ELSEWHERE), 60, 'from any address that never logged in');
    assert.equal(await throttle.secondsToWait('someone@else.example', ATTACKER), undefined, 'another e-mail address');
  });

  it('forgets failures spread wider than the window.', async(): Promise<void> => {
    await fail(9);
    clock.advance(15 * MINUTE);
    await fail(9);
    assert.equal(await throttle.secondsToWait(OWNER, ATTACKER), undefined);
  });

  it('doubles the wait with each further failure, up to the longest delay.', async(): Promise<void> => {
    await fail(10);
    const waits: number[] = [];
    for (let index = 0; index < 8; index += 1) {
      const wait = (await throttle.secondsToWait(OWNER, ATTACKER))!;
      waits.push(wait);
      clock.advance(wait * SECOND);
      await fail(1);
    }
    assert.deepEqual(waits, [ 60, 120, 240, 480, 960, 1920, 3600, 3600 ]);
  });

  it('never locks for good: waits stay at most an hour, and the failures are forgotten 15 quiet minutes after the last.',
    async(): Promise<void> => {
      await fail(10);
      for (let index = 0; index < 20; index += 1) {
        const wait = (await throttle.secondsToWait(OWNER, ATTACKER))!;
        assert.ok(wait <= 3600, `wait ${wait} s`);
        clock.advance(wait * SECOND);
        await fail(1);
      }
      clock.advance(HOUR);
      assert.equal(await throttle.secondsToWait(OWNER, ATTACKER), undefined, 'the last wait is over');
      await fail(1);
      assert.equal(await throttle.secondsToWait(OWNER, ATTACKER), 3600, 'still within the streak: the wait keeps growing');
      clock.advance(HOUR + 15 * MINUTE);
      await fail(9);
      assert.equal(await throttle.secondsToWait(OWNER, ATTACKER), undefined, 'a new count');
    });

  it('a successful login clears the failures.', async(): Promise<void> => {
    await fail(9);
    await throttle.recordSuccess(OWNER, ATTACKER);
    await fail(9);
    assert.equal(await throttle.secondsToWait(OWNER, ATTACKER), undefined);
  });

  it('lets the owner in from an address they logged in from while guessing elsewhere waits.', async(): Promise<void> => {
    await throttle.recordSuccess(OWNER, HOME);
    clock.advance(HOUR);
    await fail(10, ATTACKER);
    assert.equal(await throttle.secondsToWait(OWNER, ATTACKER), 60);
    assert.equal(await throttle.secondsToWait(OWNER, HOME), undefined);
  });

  it('slows guessing from a known address (a shared network) on its own count.', async(): Promise<void> => {
    await throttle.recordSuccess(OWNER, HOME);
    await fail(10, HOME);
    assert.equal(await throttle.secondsToWait(OWNER, HOME), 60);
    assert.equal(await throttle.secondsToWait(OWNER, ATTACKER), undefined, 'strangers have their own count');
  });

  it('forgets a known address 30 days after the last successful login from it.', async(): Promise<void> => {
    await throttle.recordSuccess(OWNER, HOME);
    clock.advance(30 * 24 * HOUR);
    await fail(10, ATTACKER);
    assert.equal(await throttle.secondsToWait(OWNER, HOME), 60);
  });
});
