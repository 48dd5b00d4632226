import { REDIS_NOW } from './RedisConnection';

// Lua shared by everything the FMP holds in Redis with an expiry (locks, leases, freezes): a holder is known by a
// random token, and only its holder renews or gives up a hold.

/** KEYS[1] holds ARGV[1]: its expiry is moved to ARGV[2] ms from now. */
export const RENEW_IF_HELD = `if redis.call("get", KEYS[1]) == ARGV[1] then return redis.call("pexpire", KEYS[1], ARGV[2]) end
return 0`;

/** KEYS[1] holds ARGV[1]: it is deleted. */
export const DELETE_IF_HELD = `if redis.call("get", KEYS[1]) == ARGV[1] then return redis.call("del", KEYS[1]) end
return 0`;

/** ARGV[1] in the sorted set KEYS[2] (holders scored by when they lapse) lapses ARGV[2] ms from now; so does the set. */
export const RENEW_MEMBER = `${REDIS_NOW}
redis.call("zadd", KEYS[2], "XX", now + tonumber(ARGV[2]), ARGV[1])
redis.call("pexpire", KEYS[2], ARGV[2])
return 1`;
