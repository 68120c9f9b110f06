// The fleet's learned pace on Redis: the Lua twin of src/resilience/rate-limit/fleet-pace.ts (keep the two in
// step; test/redis/fleet-pace.test.ts runs both on the same inputs). KEYS[1] is the state (a hash), KEYS[2] the
// successes per slot (a hash). The tuning constants come from fleet-pace.ts as the last arguments, so that there is
// one source for them. Time is Redis's own (`TIME`).
import * as pace from "../resilience/rate-limit/fleet-pace.js";
import { script } from "./scripts.js";

/** The state and the slots are forgotten after this long without a turn (ms). */
export const PACE_MEMORY_MS = 600_000;

/** ARGV tail shared by both scripts. */
export const PACE_TUNING = [
  pace.INITIAL_RATE,
  pace.DOUBLING_MS,
  pace.BETA,
  pace.CUBIC_SCALE,
  pace.SLOT_MS,
  pace.HISTORY_MS,
  pace.OPENING_SPAN_MS,
  pace.MIN_SPAN_MS,
  pace.TRUSTED_SPAN_MS,
  pace.PACE_BURST,
  pace.UNPACED_ABOVE,
  pace.ECHO_RTTS,
  pace.MIN_ECHO_MS,
  pace.RTT_GAIN,
  PACE_MEMORY_MS,
  pace.OPENING_SHARE,
];

const COMMON = `local clock = redis.call('TIME')
local now = tonumber(clock[1]) * 1000 + tonumber(clock[2]) / 1000
local T = {}
for i = 0, 15 do T[i + 1] = tonumber(ARGV[#ARGV - 15 + i]) end
local INITIAL, DOUBLING, BETA, SCALE, SLOT, HISTORY, OPENING_SPAN, MIN_SPAN, TRUSTED_SPAN, BURST, UNPACED, ECHO_RTTS, MIN_ECHO, RTT_GAIN, MEMORY, OPENING_SHARE = unpack(T)
local FIELDS = { 'g', 'm', 'b', 'c', 'gr', 'k', 'bu', 't', 'l', 'e', 'r', 'ps' }
local v = redis.call('HMGET', KEYS[1], unpack(FIELDS))
local s = {}
if not v[1] then
  s = { g = 0, m = 0, b = INITIAL, c = now, gr = now, k = 0, bu = 0, t = now, l = now, e = now, r = 0, ps = math.floor(now / SLOT) }
else
  for i, f in ipairs(FIELDS) do s[f] = tonumber(v[i]) end
end
local function pace(at)
  local t = math.max(0, at - s.gr)
  if s.m == 0 then return math.min(1e6, s.b * 2 ^ math.min(60, t / DOUBLING)) end
  local k = ((1 - BETA) / SCALE) ^ (1 / 3)
  return math.min(1e6, math.max(1, s.b * (1 + SCALE * (t / 1000 - k) ^ 3)))
end
local function save()
  local out = {}
  for _, f in ipairs(FIELDS) do out[#out + 1] = f; out[#out + 1] = string.format('%.3f', s[f]) end
  redis.call('HSET', KEYS[1], unpack(out))
  redis.call('PEXPIRE', KEYS[1], MEMORY)
  redis.call('PEXPIRE', KEYS[2], MEMORY)
end
`;

/**
 * A member's turn. ARGV: openingOk, generation, ok, rttMs, maxWaitMs, then the tuning. Returns
 * { wait ms (string), generation, paced (0/1), reserved (0/1) }.
 */
export const PACE_TURN = script(
  2,
  `${COMMON}
local openingOk, gen, ok, rtt, maxWait = tonumber(ARGV[1]), tonumber(ARGV[2]), tonumber(ARGV[3]), tonumber(ARGV[4]), tonumber(ARGV[5])
local count = 0
if s.g == 0 then count = openingOk end
if gen == s.g and s.g > 0 then count = count + ok end
if s.g > 0 then s.bu = s.bu + openingOk end
local slot = math.floor(now / SLOT)
if count > 0 then redis.call('HINCRBY', KEYS[2], slot, count) end
local keep = math.floor(HISTORY / SLOT) + 1
if slot > s.ps then
  for old = math.max(s.ps - keep, slot - keep - 50), slot - keep do redis.call('HDEL', KEYS[2], old) end
  s.ps = slot
end
if rtt > 0 then
  if s.r > 0 then s.r = s.r + RTT_GAIN * (rtt - s.r) else s.r = rtt end
end
local turnGen = s.g
if now < s.e then turnGen = s.g - 1 end
if s.t < now then s.gr = math.min(now, s.gr + (now - math.max(s.l, s.gr))) end
s.l = now
local rate = pace(now)
if rate > UNPACED then
  save()
  return { '0', turnGen, 0, 1 }
end
local interval = 1000 / rate
local tat = math.max(s.t, now)
local wait = math.max(0, tat - now - (BURST - 1) * interval)
if wait > maxWait then
  save()
  return { string.format('%.3f', wait), turnGen, 1, 0 }
end
s.t = tat + interval
save()
return { string.format('%.3f', wait), turnGen, 1, 1 }`,
);

/** A 429 to a request of ARGV[1]'s generation (then the tuning): cuts the fleet's rate unless it is an echo. Returns 1 when it cut. */
export const PACE_CUT = script(
  2,
  `${COMMON}
local gen = tonumber(ARGV[1])
if gen ~= s.g then return 0 end
local opening = s.g == 0
local minSpan = MIN_SPAN
if opening then minSpan = OPENING_SPAN end
local start = math.max(s.c, s.e)
local first, last = math.floor(start / SLOT), math.floor(now / SLOT)
local fields = {}
for slot = last, first, -1 do fields[#fields + 1] = slot end
local counts = {}
if #fields > 0 then counts = redis.call('HMGET', KEYS[2], unpack(fields)) end
local estimate, sum = 0, 0
for i, slot in ipairs(fields) do
  sum = sum + (tonumber(counts[i]) or 0)
  local span = now - math.max(start, slot * SLOT)
  if span >= minSpan then estimate = math.max(estimate, (sum - s.bu) / span * 1000) end
end
local current = pace(now)
if estimate > 0 and (opening or (sum >= 2 * s.bu and now - start >= TRUSTED_SPAN)) then
  s.k = estimate
  local share = 1
  if opening then share = OPENING_SHARE end
  s.b = math.min(estimate * share, current)
else
  local known = s.k
  if known <= 0 then known = current end
  s.b = math.max(1, math.min(current, known) * BETA)
end
s.m = 1
s.g = s.g + 2
s.c = now
s.gr = now
s.e = math.max(s.t, now) + math.max(MIN_ECHO, ECHO_RTTS * s.r)
save()
return 1`,
);
