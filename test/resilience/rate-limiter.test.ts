// The rate limiter's scheduling with vitest's fake clock: pauses shared by every caller, paced resumption, fixed
// caps, the first-answer gate, and aborts that leave the queue at once.
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { createRateLimiter, type RateLimiter, type RateLimiterConfig } from "../../src/resilience/rate-limiter.js";

const clock = { now: () => Date.now() };
const answer = (status: number, headers: Record<string, string> = {}) => new Response(null, { status, headers });
const noHeaders: RateLimiterConfig = { adaptive: true, useHeaders: false, requestsPerSecond: undefined, burst: 1 };

/** Starts `n` acquisitions and records when each is granted (fake ms since the test began). */
function acquireAll(limiter: RateLimiter, n: number, signal = new AbortController().signal) {
  const start = Date.now();
  const granted: number[] = [];
  const tickets = Array.from({ length: n }, () =>
    limiter.acquire(signal).then((t) => {
      granted.push(Date.now() - start);
      return t;
    }),
  );
  return { granted, tickets };
}

beforeEach(() => void vi.useFakeTimers());
afterEach(() => void vi.useRealTimers());

describe("rate limiter", () => {
  it("lets everything through while nothing is known", async () => {
    const limiter = createRateLimiter(noHeaders, clock);
    const { granted } = acquireAll(limiter, 50);
    await vi.advanceTimersByTimeAsync(0);
    expect(granted).toHaveLength(50);
    expect(limiter.pace()).toBeUndefined();
  });

  it("pauses every caller after a 429 until its Retry-After, then resumes paced at the learned rate", async () => {
    const limiter = createRateLimiter(noHeaders, clock);
    const first = acquireAll(limiter, 10);
    await vi.advanceTimersByTimeAsync(0);
    const tickets = await Promise.all(first.tickets);
    // 9 got through, then the server said "429, retry in 1 s": 9 in 1 s is the pace it proved it grants.
    tickets.slice(0, 9).forEach((t) => limiter.complete(t, answer(200)));
    expect(limiter.complete(tickets[9], answer(429, { "retry-after": "1" }))).toEqual({ pausedMs: 1000 });
    expect(limiter.pausedUntil()).toBe(Date.now() + 1000);

    const next = acquireAll(limiter, 5);
    await vi.advanceTimersByTimeAsync(999);
    expect(next.granted).toEqual([]); // nobody goes during the pause, not just the caller that got the 429
    expect(limiter.pace()).toBeCloseTo(9, 5);
    await vi.advanceTimersByTimeAsync(1_000);
    expect(next.granted).toHaveLength(5);
    // Resumed one by one at the learned 9/s, growing (slow start doubles it every 150 ms), never all at once.
    const gaps = next.granted.slice(1).map((t, i) => t - next.granted[i]);
    expect(next.granted[0]).toBeGreaterThanOrEqual(999);
    expect(gaps[0]).toBeGreaterThan(70);
    for (const gap of gaps) expect(gap).toBeGreaterThan(10);
    for (let i = 1; i < gaps.length; i++) expect(gaps[i]).toBeLessThanOrEqual(gaps[i - 1]);
  });

  it("does not pause again for 429s to requests sent before the pause (echoes)", async () => {
    const limiter = createRateLimiter(noHeaders, clock);
    const { tickets } = acquireAll(limiter, 3);
    await vi.advanceTimersByTimeAsync(0);
    const [a, b, c] = await Promise.all(tickets);
    limiter.complete(a, answer(429, { "retry-after": "2" }));
    const until = limiter.pausedUntil();
    await vi.advanceTimersByTimeAsync(500);
    limiter.complete(b, answer(429, { "retry-after": "2" }));
    limiter.complete(c, answer(429, { "retry-after": "2" }));
    expect(limiter.pausedUntil()).toBe(until);
  });

  it("keeps a fixed requestsPerSecond cap", async () => {
    const limiter = createRateLimiter({ adaptive: false, useHeaders: false, requestsPerSecond: 10, burst: 2 }, clock);
    const { granted } = acquireAll(limiter, 6);
    await vi.advanceTimersByTimeAsync(1_000);
    // 2 at once (burst), then one every 100 ms.
    expect(granted).toEqual([0, 0, 100, 200, 300, 400]);
    expect(limiter.pace()).toBe(10);
  });

  it("sends one request first when quota headers may come, and paces by them after", async () => {
    const limiter = createRateLimiter({ ...noHeaders, useHeaders: true }, clock);
    const { granted, tickets } = acquireAll(limiter, 10);
    await vi.advanceTimersByTimeAsync(10);
    expect(granted).toEqual([0]);
    const first = await tickets[0];
    // The server says 4 of 6 are in use: 2 left, one kept as a margin.
    limiter.complete(first, answer(200, { "inin-ratelimit-allowed": "6", "inin-ratelimit-count": "4", "inin-ratelimit-reset": "60" }));
    await vi.advanceTimersByTimeAsync(0);
    expect(granted).toHaveLength(2);
  });

  it("removes an aborted caller from the queue at once", async () => {
    const limiter = createRateLimiter({ adaptive: false, useHeaders: false, requestsPerSecond: 1, burst: 1 }, clock);
    await limiter.acquire(new AbortController().signal);
    const controller = new AbortController();
    const waiting = limiter.acquire(controller.signal);
    expect(limiter.waiting()).toBe(1);
    controller.abort(new Error("stop"));
    await expect(waiting).rejects.toThrow("stop");
    expect(limiter.waiting()).toBe(0);
    await expect(limiter.acquire(controller.signal)).rejects.toThrow("stop");
  });
});
