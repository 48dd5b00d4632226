import type { PodSizeTotals } from './PodSizeTotals';
import type { RedisConnection, RedisScript } from './RedisConnection';

const ADD_TO_KNOWN = `local changed = {}
for index, key in ipairs(KEYS) do
  if redis.call("exists", key) == 1 then
    redis.call("incrby", key, ARGV[1])
    table.insert(changed, index)
  end
end
return changed`;

/**
 * Pod totals in Redis, one key per pod, shared by every FMP process. Each lapses an hour after its pod was walked, so
 * drift (a process killed between a write and its measure, files changed while every process was down) lasts an hour
 * at most: then the pod is walked again.
 */
export class RedisPodSizeTotals implements PodSizeTotals {
  private readonly addScript: RedisScript;

  /**
   * @param redis - The FMP's Redis.
   * @param lifetimeMs - How long a walked total is trusted.
   */
  public constructor(private readonly redis: RedisConnection, private readonly lifetimeMs = 3_600_000) {
    // Its keys vary in number: the count is passed with each call.
    this.addScript = redis.script(undefined, ADD_TO_KNOWN);
  }

  public async findFirst(containers: string[]): Promise<number | undefined> {
    if (containers.length === 0) {
      return undefined;
    }
    const totals = await this.redis.client.mget(containers.map((container): string => this.keyOf(container)));
    const known = totals.find((total): boolean => total !== null);
    return known === undefined || known === null ? undefined : Number(known);
  }

  public async setIfUnknown(podRoot: string, total: number): Promise<void> {
    await this.redis.client.set(this.keyOf(podRoot), String(total), 'PX', this.lifetimeMs, 'NX');
  }

  public async addToKnown(containers: string[], difference: number): Promise<string[]> {
    if (containers.length === 0) {
      return [];
    }
    const changed = await this.addScript([], [ containers.length, ...containers.map((container): string => this.keyOf(container)),
      difference ]) as number[];
    return changed.map((index): string => containers[index - 1]);
  }

  public async forget(podRoot: string): Promise<void> {
    await this.redis.client.del(this.keyOf(podRoot));
  }

  private keyOf(container: string): string {
    return this.redis.key(`pod-size:${container}`);
  }
}
