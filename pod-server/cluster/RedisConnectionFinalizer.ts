import { Finalizer } from '@solid/community-server';
import type { RedisConnection } from './RedisConnection';

/** Closes the FMP's Redis connections when the server stops (tests start and stop many servers in one process). */
export class RedisConnectionFinalizer extends Finalizer {
  /** @param redis - The connection to close. */
  public constructor(private readonly redis: RedisConnection) {
    super();
  }

  public async handle(): Promise<void> {
    await this.redis.close();
  }
}
