import type { GrantGenerations } from './GrantGenerations';
import type { RedisConnection } from './RedisConnection';

/**
 * Grant generations in Redis, shared by every FMP process: one `INCR` when a pod's grants change, acknowledged
 * before the change is, and one `GET` before each use of cached grants, so a grant given or revoked through one
 * process counts on every other from the very next request.
 */
export class RedisGrantGenerations implements GrantGenerations {
  /** @param redis - The FMP's Redis. */
  public constructor(private readonly redis: RedisConnection) {}

  public async current(podRoot: string): Promise<string> {
    return await this.redis.client.get(this.keyOf(podRoot)) ?? '0';
  }

  public async advance(podRoot: string): Promise<void> {
    await this.redis.client.incr(this.keyOf(podRoot));
  }

  private keyOf(podRoot: string): string {
    return this.redis.key(`grants:${podRoot}`);
  }
}
