import { randomUUID } from 'node:crypto';
import { getLoggerFor } from '@solid/community-server';
import { DELETE_IF_HELD, RENEW_IF_HELD } from './heldKeyScripts';
import { keepRenewing } from './keepRenewing';
import type { Lease, LeaseKeeper } from './LeaseKeeper';
import type { RedisConnection, RedisScript } from './RedisConnection';

/**
 * Leases in Redis, shared by every FMP process: `SET NX PX` with the holder's token, renewed every third of the TTL
 * while held, so a SIGKILLed holder's lease lapses within `ttlMs` and never leaves a pod locked for good.
 */
export class RedisLeaseKeeper implements LeaseKeeper {
  protected readonly logger = getLoggerFor(this);
  public readonly sharedWithOtherProcesses = true;
  private readonly renew: RedisScript;
  private readonly release: RedisScript;

  /**
   * @param redis - The FMP's Redis.
   * @param ttlMs - How long a lease outlives its holder's last renewal.
   */
  public constructor(private readonly redis: RedisConnection, private readonly ttlMs = 15_000) {
    this.renew = redis.script(1, RENEW_IF_HELD);
    this.release = redis.script(1, DELETE_IF_HELD);
  }

  public async tryAcquire(name: string): Promise<Lease | undefined> {
    const key = this.redis.key(`lease:${name}`);
    const token = randomUUID();
    if (await this.redis.client.set(key, token, 'PX', this.ttlMs, 'NX') !== 'OK') {
      return undefined;
    }
    const stopRenewing = keepRenewing(async(): Promise<unknown> => this.renew([ key ], [ token, this.ttlMs ]), this.ttlMs / 3,
      (error): void => {
        this.logger.warn(`Could not renew the lease ${name}: ${error.message}`);
      });
    let released = false;
    return {
      release: async(): Promise<void> => {
        if (released) {
          return;
        }
        released = true;
        stopRenewing();
        await this.release([ key ], [ token ]).catch((error: Error): void => {
          this.logger.warn(`Could not release the lease ${name} (it lapses by itself): ${error.message}`);
        });
      },
    };
  }

  public async isHeld(name: string): Promise<boolean> {
    return await this.redis.client.exists(this.redis.key(`lease:${name}`)) === 1;
  }
}
