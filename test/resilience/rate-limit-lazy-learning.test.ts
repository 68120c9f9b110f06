// The limiter's learning (track-learning.ts, quota-model.ts, bucket-rate.ts) is loaded with the first 429 or quota
// header (learning.ts). Until it is there, the limiter holds every grant and keeps the answers in order; then it
// decides exactly as a limiter whose learning was loaded from the start. Simulated time; this file must not import
// test/support/limiter-sim.ts, which loads the learning up front (each test file has its own modules).
import { describe, expect, it } from "vitest";
import { learning } from "../../src/resilience/rate-limit/learning.js";
import { createRateLimiter, type RateLimiterConfig } from "../../src/resilience/rate-limit/rate-limiter.js";
import type { LimiterTicket, RateLimitRequest } from "../../src/resilience/rate-limit/types.js";
import { VirtualClock } from "../support/virtual-clock.js";

const config: RateLimiterConfig = {
  adaptive: true,
  useHeaders: true,
  requestsPerSecond: undefined,
  burst: 1,
  maxRetryAfterMs: 90_000,
  assumeTokenLimit: false,
  limits: [],
  sharingTimeoutMs: 50,
};
const req: RateLimitRequest = { routeGroup: "users", method: "GET", path: "/api/v2/users/me", maxWaitMs: Infinity, isRetry: false };
const signal = new AbortController().signal;
const ok = { status: 200, headers: new Headers() };
const limited = (seconds: number) => ({ status: 429, headers: new Headers({ "retry-after": String(seconds) }), body: undefined });

type Reply = { status: number; headers: Headers; body?: unknown };

/** One scripted run: 6 requests go, `first` and then the others' answers come back, then two more want to go. */
async function script(clock: VirtualClock, first: Reply, useHeaders: boolean) {
  const limiter = createRateLimiter({ ...config, useHeaders }, { clock });
  const going = Array.from({ length: 6 }, () => limiter.acquire(req, signal));
  await clock.run(clock.now() + 2_000); // with useHeaders, one at a time until the first answer (or 250 ms)
  const tickets: LimiterTicket[] = await Promise.all(going);
  const verdicts = [limiter.complete(tickets[0]!, ok), limiter.complete(tickets[1]!, first)];
  const heldWhileLoading = learning() === undefined;
  for (const t of tickets.slice(2)) verdicts.push(limiter.complete(t, ok));
  const granted: number[] = [];
  const later = [limiter.acquire(req, signal), limiter.acquire(req, signal)].map((p) => p.then((t) => void granted.push(t.seq)));
  await Promise.resolve();
  const grantedWhileHeld = granted.length; // while the learning loads nothing is let go
  const settled = await Promise.all(verdicts);
  await clock.run(clock.now() + 10_000);
  await Promise.all(later);
  return { heldWhileLoading, grantedWhileHeld, settled, granted, snapshot: limiter.snapshot(), now: clock.now() };
}

describe("the rate limiter's learning, loaded with the first 429", () => {
  it("answers at once when no answer needs the learning", async () => {
    const clock = new VirtualClock();
    const limiter = createRateLimiter({ ...config, useHeaders: false }, { clock });
    const ticket = await limiter.acquire(req, signal);
    expect(limiter.complete(ticket, { status: 503, headers: new Headers() })).toBeUndefined();
    const next = await limiter.acquire(req, signal);
    // Quota headers are not read with useHeaders off: nothing to learn, nothing held.
    const quota = new Headers({ "inin-ratelimit-allowed": "10", "inin-ratelimit-count": "1", "inin-ratelimit-reset": "1" });
    expect(limiter.complete(next, { status: 200, headers: quota })).toBeUndefined();
    expect(learning()).toBeUndefined(); // not loaded for a 5xx or for headers nobody reads
  });

  it("holds the limiter while it loads, then decides as if it had always been there", async () => {
    expect(learning()).toBeUndefined(); // nothing has loaded it in this file yet
    const first = await script(new VirtualClock(), limited(1), false);
    expect(first.heldWhileLoading).toBe(true);
    expect(first.grantedWhileHeld).toBe(0);
    expect(learning()).toBeDefined();
    // The same script again, the learning loaded: the same verdicts, grants and what was learned.
    const again = await script(new VirtualClock(), limited(1), false);
    expect(again.heldWhileLoading).toBe(false);
    expect(first.settled).toEqual(again.settled);
    expect(first.granted).toEqual(again.granted);
    expect(first.snapshot).toEqual(again.snapshot);
    expect(first.settled[1]).toEqual({ pausedMs: 0, scope: "client" }); // a first 429 cuts the pace: nobody paused
    expect(first.snapshot.limits[0]).toMatchObject({ key: "token", source: "learned" });
    expect(first.snapshot.pace).toBeGreaterThan(0);
    // Quota headers need the learning too (quota-model.ts): loaded now, the same script answers at once and paces by them.
    const quota = { status: 200, headers: new Headers({ "inin-ratelimit-allowed": "10", "inin-ratelimit-count": "9", "inin-ratelimit-reset": "1" }) };
    const headers = await script(new VirtualClock(), quota, true);
    expect(headers.heldWhileLoading).toBe(false);
    expect(headers.granted).toHaveLength(2);
  });
});
