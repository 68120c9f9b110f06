// Two limiters sharing one in-memory LimitSharing, as two processes would through Redis; and a sharing that fails.
import { describe, expect, it } from "vitest";
import { createLocalLimitSharing } from "../../src/resilience/rate-limit/sharing.js";
import type { LimitSharing, RateLimitRequest } from "../../src/resilience/rate-limit/types.js";
import { simLimiter, VirtualClock } from "../support/limiter-sim.js";

const req: RateLimitRequest = { routeGroup: "users", method: "GET", path: "/api/v2/users", maxWaitMs: Infinity, isRetry: false };
const signal = () => new AbortController().signal;
const limited = (seconds: number) => ({
  status: 429,
  headers: new Headers({ "retry-after": String(seconds) }),
  body: { message: `Retry the request in [${seconds}] seconds`, limit: { key: "token.rate.per.minute", namespace: "platform.api", value: 2 } },
});

describe("LimitSharing", () => {
  it("shares a window's pause and what was learned about it", async () => {
    const clock = new VirtualClock();
    const sharing = createLocalLimitSharing(clock.now);
    const a = simLimiter({}, sharing, clock).limiter;
    const b = simLimiter({}, sharing, clock).limiter;
    const tickets = await Promise.all([0, 1, 2].map(() => a.acquire(req, signal())));
    a.complete(tickets[0], { status: 200, headers: new Headers() });
    a.complete(tickets[1], { status: 200, headers: new Headers() });
    a.complete(tickets[2], limited(60));
    await clock.run(clock.now());
    // B never saw a 429, yet it knows the limit and waits for the window's end.
    expect(b.snapshot().limits).toContainEqual(
      expect.objectContaining({ key: "token.rate.per.minute", kind: "window", countPerWindow: 2, windowMs: 60_000, source: "shared" }),
    );
    expect(b.snapshot().pausedUntil).toBe(a.snapshot().pausedUntil);
    let granted = false;
    void b.acquire(req, signal()).then(() => (granted = true));
    await clock.run(clock.now() + 30_000);
    expect(granted).toBe(false);
    await clock.run(clock.now() + 31_000);
    expect(granted).toBe(true);
  });

  it("keeps the fleet under a known rate with take() (GCRA)", async () => {
    const clock = new VirtualClock();
    const sharing = createLocalLimitSharing(clock.now);
    const limits = [{ key: "token.rate.per.second", value: 10 }];
    const a = simLimiter({ limits, assumeTokenLimit: false }, sharing, clock).limiter;
    const b = simLimiter({ limits, assumeTokenLimit: false }, sharing, clock).limiter;
    const granted: number[] = [];
    for (let i = 0; i < 20; i++) void (i % 2 ? a : b).acquire(req, signal()).then(() => granted.push(clock.now()));
    await clock.run(5_000);
    expect(granted).toHaveLength(20);
    // Each alone would send its 10 at once; together they spread over the shared rate: 10 at once, then one per 100 ms.
    expect(granted.filter((t) => t < 1).length).toBeLessThanOrEqual(11);
    expect(Math.max(...granted)).toBeGreaterThanOrEqual(900);
  });

  it("goes on alone when sharing fails or hangs", async () => {
    const broken: LimitSharing = {
      publish: () => Promise.reject(new Error("redis down")),
      subscribe: () => {
        throw new Error("redis down");
      },
      take: () => new Promise<number>(() => undefined), // never answers
    };
    const { clock, limiter } = simLimiter({ limits: [{ key: "token.rate.per.second", value: 100 }], assumeTokenLimit: false, sharingTimeoutMs: 50 }, broken);
    const granted: number[] = [];
    for (let i = 0; i < 5; i++) void limiter.acquire(req, signal()).then((t) => [granted.push(clock.now()), limiter.complete(t, limited(1))]);
    await clock.run(1_000);
    expect(granted).toHaveLength(5);
    expect(Math.max(...granted)).toBeLessThanOrEqual(60); // each waited for the sharing timeout at most
  });
});
