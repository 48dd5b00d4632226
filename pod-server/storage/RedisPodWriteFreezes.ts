import { AsyncLocalStorage } from 'node:async_hooks';
import { randomUUID } from 'node:crypto';
import type { IdentifierGenerator } from '@solid/community-server';
import { getLoggerFor } from '@solid/community-server';
import { DELETE_IF_HELD, RENEW_IF_HELD, RENEW_MEMBER } from '../cluster/heldKeyScripts';
import { keepRenewing } from '../cluster/keepRenewing';
import type { RedisConnection, RedisScript } from '../cluster/RedisConnection';
import { REDIS_NOW } from '../cluster/RedisConnection';
import { FreezeTimeoutError } from './FreezeTimeoutError';
import { LockedHttpError } from './LockedHttpError';
import type { PodWriteFreezes } from './PodWriteFreezes';

// KEYS: the pod's freeze, the pod's writes under way (a sorted set of tokens scored by when they lapse).
// One script, so a write either sees the freeze or is counted before the freezer looks: nothing slips in between.
const BEGIN_WRITE = `${REDIS_NOW}
local freeze = redis.call("get", KEYS[1])
if freeze then return freeze end
redis.call("zadd", KEYS[2], now + tonumber(ARGV[2]), ARGV[1])
redis.call("pexpire", KEYS[2], ARGV[2])
return false`;
const WRITES_UNDER_WAY = `${REDIS_NOW}
redis.call("zremrangebyscore", KEYS[2], "-inf", now)
return redis.call("zcard", KEYS[2])`;

interface StoredFreeze {
  token: string;
  reason: string;
}

/**
 * {@link PodWriteFreezes} in Redis, for several FMP processes: a freeze is a key every process's writes look at (one
 * script per write, which also counts the write as under way), renewed while its work runs, so a process killed while
 * restoring leaves the pod writable again within `ttlMs`; the writes under way are counted across processes, each
 * lapsing `ttlMs` after its process stopped renewing it.
 */
export class RedisPodWriteFreezes implements PodWriteFreezes {
  protected readonly logger = getLoggerFor(this);
  private readonly owner = new AsyncLocalStorage<string>();
  private readonly beginWriteScript: RedisScript;
  private readonly renewWrite: RedisScript;
  private readonly writesUnderWay: RedisScript;
  private readonly renewFreeze: RedisScript;
  private readonly endFreeze: RedisScript;

  /**
   * @param redis - The FMP's Redis.
   * @param identifierGenerator - Finds the pod of a written path.
   * @param drainTimeoutMs - How long freezing waits for the writes under way before giving up.
   * @param ttlMs - How long a freeze or a write under way outlives its process's last renewal.
   */
  public constructor(
    private readonly redis: RedisConnection,
    private readonly identifierGenerator: IdentifierGenerator,
    private readonly drainTimeoutMs = 30_000,
    private readonly ttlMs = 15_000,
  ) {
    this.beginWriteScript = redis.script(2, BEGIN_WRITE);
    this.renewWrite = redis.script(2, RENEW_MEMBER);
    this.writesUnderWay = redis.script(2, WRITES_UNDER_WAY);
    this.renewFreeze = redis.script(1, RENEW_IF_HELD);
    this.endFreeze = redis.script(1, DELETE_IF_HELD);
  }

  public async whileFrozen<T>(podRoot: string, reason: string, work: () => Promise<T>): Promise<T> {
    const keys = this.keysOf(podRoot);
    const token = randomUUID();
    const stored: StoredFreeze = { token, reason };
    if (await this.redis.client.set(keys[0], JSON.stringify(stored), 'PX', this.ttlMs, 'NX') !== 'OK') {
      throw new LockedHttpError(await this.reasonOf(podRoot));
    }
    const value = JSON.stringify(stored);
    const stopRenewing = keepRenewing(async(): Promise<unknown> => this.renewFreeze([ keys[0] ], [ value, this.ttlMs ]),
      this.ttlMs / 3, (error): void => {
        this.logger.warn(`Could not renew the freeze of ${podRoot}: ${error.message}`);
      });
    try {
      await this.drain(podRoot);
      return await this.owner.run(podRoot, work);
    } finally {
      stopRenewing();
      await this.endFreeze([ keys[0] ], [ value ]).catch((error: Error): void => {
        this.logger.warn(`Could not end the freeze of ${podRoot} (it lapses by itself): ${error.message}`);
      });
    }
  }

  public async isFrozen(podRoot: string): Promise<boolean> {
    return await this.redis.client.exists(this.keysOf(podRoot)[0]) === 1;
  }

  public async beginWrite(path: string): Promise<() => void> {
    const podRoot = this.podOf(path);
    if (podRoot === undefined || this.owner.getStore() === podRoot) {
      return (): void => undefined;
    }
    const keys = this.keysOf(podRoot);
    const token = randomUUID();
    const freeze = await this.beginWriteScript(keys, [ token, this.ttlMs ]) as string | null;
    if (freeze) {
      this.logger.debug(`Refused a write to ${path}: ${podRoot} is frozen`);
      throw new LockedHttpError((JSON.parse(freeze) as StoredFreeze).reason);
    }
    const stopRenewing = keepRenewing(async(): Promise<unknown> => this.renewWrite(keys, [ token, this.ttlMs ]), this.ttlMs / 3);
    return (): void => {
      stopRenewing();
      this.redis.client.zrem(keys[1], token).catch((): void => undefined);
    };
  }

  private async reasonOf(podRoot: string): Promise<string | undefined> {
    const freeze = await this.redis.client.get(this.keysOf(podRoot)[0]);
    return freeze ? (JSON.parse(freeze) as StoredFreeze).reason : undefined;
  }

  /** Resolves once no write into `podRoot` is under way on any process. */
  private async drain(podRoot: string): Promise<void> {
    const deadline = Date.now() + this.drainTimeoutMs;
    while (Number(await this.writesUnderWay(this.keysOf(podRoot), [])) > 0) {
      if (Date.now() > deadline) {
        throw new FreezeTimeoutError(`Writes into ${podRoot} were still running after ${this.drainTimeoutMs / 1000} s; ` +
          'try again when they are done.');
      }
      await new Promise((resolve): NodeJS.Timeout => setTimeout(resolve, 10));
    }
  }

  private podOf(path: string): string | undefined {
    try {
      return this.identifierGenerator.extractPod({ path }).path;
    } catch {
      // Not in a pod (the server's own /.internal/ data): never frozen.
    }
  }

  private keysOf(podRoot: string): [string, string] {
    return [ this.redis.key(`freeze:${podRoot}`), this.redis.key(`writing:${podRoot}`) ];
  }
}
