// The Lua scripts of the Redis coordinator. Each runs atomically in Redis, so members of a fleet never see half a
// change; time is Redis's own (`TIME`), so members on hosts whose clocks differ still agree on rates.
import { createHash } from "node:crypto";

export interface Script {
  source: string;
  sha: string;
  keys: number;
}

export const script = (keys: number, source: string): Script => ({ source, keys, sha: createHash("sha1").update(source).digest("hex") });

/**
 * GCRA (the generic cell rate algorithm, as redis-cell): KEYS[1] holds the theoretical arrival time (TAT, ms).
 * ARGV[1] = emission interval (ms per request), ARGV[2] = burst. Reserves one request and returns the ms to wait
 * before sending it (0: now) — a string, since Redis truncates Lua numbers to integers.
 */
export const GCRA_TAKE = script(
  1,
  `local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000 + tonumber(t[2]) / 1000
local interval = tonumber(ARGV[1])
local burst = math.max(1, tonumber(ARGV[2]))
local tat = tonumber(redis.call('GET', KEYS[1]) or '0')
if tat < now then tat = now end
local wait = tat - now - (burst - 1) * interval
if wait < 0 then wait = 0 end
local next = tat + interval
redis.call('SET', KEYS[1], string.format('%.3f', next), 'PX', math.ceil(next - now + burst * interval + 1000))
return string.format('%.3f', wait)`,
);

/** KEYS[1] = token key. Returns { "<lifetime ms or empty>|<token>", remaining ms (PTTL) } or nil. */
export const TOKEN_GET = script(
  1,
  `local v = redis.call('GET', KEYS[1])
if not v then return nil end
return { v, redis.call('PTTL', KEYS[1]) }`,
);

/** KEYS[1] = token key; ARGV[1] = "<lifetime>|<token>", ARGV[2] = TTL ms, ARGV[3] = channel, ARGV[4] = notice. */
export const TOKEN_SET = script(
  1,
  `redis.call('SET', KEYS[1], ARGV[1], 'PX', ARGV[2])
redis.call('PUBLISH', ARGV[3], ARGV[4])
return 1`,
);

/**
 * KEYS[1] = token key; ARGV[1] = the rejected token, ARGV[2] = channel, ARGV[3] = notice. Deletes the token only
 * if it is still the rejected one (a newer token is kept) and then tells the fleet: once per token, however many
 * members met the 401.
 */
export const TOKEN_INVALIDATE = script(
  1,
  `local v = redis.call('GET', KEYS[1])
if not v then return 0 end
local bar = string.find(v, '|', 1, true)
if not bar or string.sub(v, bar + 1) ~= ARGV[1] then return 0 end
redis.call('DEL', KEYS[1])
redis.call('PUBLISH', ARGV[2], ARGV[3])
return 1`,
);

/** KEYS[1] = lock key; ARGV[1] = owner, ARGV[2] = TTL ms. Takes the lock, or extends it for its owner; 1 when held. */
export const LOCK = script(
  1,
  `local v = redis.call('GET', KEYS[1])
if not v then
  redis.call('SET', KEYS[1], ARGV[1], 'PX', ARGV[2])
  return 1
end
if v == ARGV[1] then
  redis.call('PEXPIRE', KEYS[1], ARGV[2])
  return 1
end
return 0`,
);

/** KEYS[1] = lock key; ARGV[1] = owner. Deletes the lock only for its owner. */
export const UNLOCK = script(
  1,
  `if redis.call('GET', KEYS[1]) == ARGV[1] then return redis.call('DEL', KEYS[1]) end
return 0`,
);

/**
 * Remembers a shared limit event for members that join later, then publishes it. KEYS[1] = hash (pauses or
 * limits); ARGV[1] = field, ARGV[2] = value, ARGV[3] = TTL ms of the hash, ARGV[4] = channel, ARGV[5] = message,
 * ARGV[6] = "max" to keep the larger numeric value (a pause only ever grows).
 */
export const REMEMBER_AND_PUBLISH = script(
  1,
  `local keep = true
if ARGV[6] == 'max' then
  local cur = tonumber(redis.call('HGET', KEYS[1], ARGV[1]) or '0')
  keep = tonumber(ARGV[2]) > cur
end
if keep then redis.call('HSET', KEYS[1], ARGV[1], ARGV[2]) end
if redis.call('PTTL', KEYS[1]) < tonumber(ARGV[3]) then redis.call('PEXPIRE', KEYS[1], ARGV[3]) end
redis.call('PUBLISH', ARGV[4], ARGV[5])
return 1`,
);

/** HGETALL as a script, so that it goes through the same bounded, health-tracked step as the rest. */
export const HGETALL = script(1, "return redis.call('HGETALL', KEYS[1])");
