// The rate limiter in simulated time (an injected virtual clock, a modelled server): what it learns, whom it
// pauses and for how long, the goodput it reaches against each kind of limit, budgets, aborts, timers, events.
import { describe, expect, it } from "vitest";
import { RetryBudgetExceededError } from "../../src/errors.js";
import type { LearnedLimit, PauseEvent, RateLimitRequest } from "../../src/resilience/rate-limit/types.js";
import { serverModel, simLimiter, simulate } from "../support/limiter-sim.js";

const req = (routeGroup = "users", extra: Partial<RateLimitRequest> = {}): RateLimitRequest => ({
  routeGroup,
  method: "GET",
  path: `/api/v2/${routeGroup}`,
  maxWaitMs: Infinity,
  isRetry: false,
  ...extra,
});
const signal = () => new AbortController().signal;
const answer = (status: number, retryAfter?: number, body?: unknown) => ({
  status,
  headers: new Headers(retryAfter === undefined ? {} : { "retry-after": String(retryAfter) }),
  body,
});
const genesys429 = (seconds: number, limit?: { key: string; namespace: string; value: number }) => ({
  message: `Rate limit exceeded the maximum. Retry the request in [${seconds}] seconds`,
  code: "too.many.requests.retry.after",
  ...(limit ? { limit } : {}),
});

describe("rate limiter against modelled servers (simulated time, no headers)", () => {
  it("token bucket 200/s, burst 20: 1,000 calls within 1.1 × the floor, few 429s, nobody paused", async () => {
    const { clock, limiter } = simLimiter();
    const pauses: PauseEvent[] = [];
    limiter.onPause((p) => void pauses.push(p));
    const r = await simulate(clock, limiter, serverModel({ model: "token-bucket", capacity: 20, refillPerSecond: 200 }), { n: 1000, concurrency: 200 });
    expect(r.failed).toBe(0);
    expect(r.totalMs).toBeLessThanOrEqual(1.1 * 4900); // pausing everybody per 429 gives ~1.5
    expect(r.r429 / r.attempts).toBeLessThanOrEqual(0.05);
    expect(pauses).toEqual([]); // a bucket refills: the pace drops, nobody waits out a Retry-After
    expect(limiter.snapshot().limits[0]).toMatchObject({ kind: "bucket", source: "learned" });
    expect(Math.abs(limiter.snapshot().pace! / 200 - 1)).toBeLessThanOrEqual(0.03);
  });

  it("fixed window 200 per 1 s: within 1.15 × the floor, few 429s, everybody waits for each window's end", async () => {
    const { clock, limiter } = simLimiter();
    const pauses: PauseEvent[] = [];
    limiter.onPause((p) => void pauses.push(p));
    const r = await simulate(clock, limiter, serverModel({ model: "fixed-window", limit: 200, windowSeconds: 1 }), { n: 1000, concurrency: 200 });
    expect(r.failed).toBe(0);
    expect(r.totalMs).toBeLessThanOrEqual(1.15 * 4000);
    expect(r.r429 / r.attempts).toBeLessThanOrEqual(0.05);
    const [limit] = limiter.snapshot().limits;
    expect(limit).toMatchObject({ key: "token", kind: "window", windowMs: 1000, source: "learned" });
    // Our windows start at our first send, the server's at its first arrival: one more may fit now and then.
    expect(limit.countPerWindow).toBeGreaterThanOrEqual(199);
    expect(limit.countPerWindow).toBeLessThanOrEqual(202);
    expect(pauses.length).toBeGreaterThanOrEqual(4);
    expect(pauses.every((p) => p.reason === "window" && p.pausedMs <= 1100)).toBe(true);
  });

  it("Genesys's default, 300 per 60 s with the limit named in the body: 650 calls by 123.6 s with one answer 429 in all", async () => {
    // Slow, uneven answers too: a probe sent before the window's last answers could overtake one of them.
    for (const [latencyMs, jitterMs] of [
      [0.5, 0.3],
      [5, 10],
    ]) {
      const { clock, limiter } = simLimiter();
      const body = genesys429(60, { key: "token.rate.per.minute", namespace: "platform.api", value: 300 });
      const r = await simulate(clock, limiter, serverModel({ model: "fixed-window", limit: 300, windowSeconds: 60 }), {
        n: 650,
        concurrency: 200,
        body,
        latencyMs,
        jitterMs,
      });
      expect(r.failed).toBe(0);
      expect(r.totalMs).toBeLessThanOrEqual(123_600);
      expect(r.r429).toBe(1); // the first window's probe; the body's count then needs none: its windows end as predicted
      expect(limiter.snapshot().limits[0]).toMatchObject({
        key: "token.rate.per.minute",
        namespace: "platform.api",
        kind: "window",
        countPerWindow: 300,
        windowMs: 60_000,
        source: "body",
      });
    }
  });

  it("drops the assumed default when more get through than it allows", async () => {
    const { clock, limiter } = simLimiter();
    const r = await simulate(clock, limiter, serverModel({ model: "token-bucket", capacity: 1000, refillPerSecond: 1000 }), { n: 400, concurrency: 50 });
    expect(r).toMatchObject({ failed: 0, r429: 0 });
    expect(r.totalMs).toBeLessThan(1000); // never waited for the assumed window's end
    expect(limiter.snapshot().limits).toEqual([]);
  });
});

describe("rate limiter decisions", () => {
  it("after one 429, goes on at a cut pace; a second 429 from a later request means a window: everybody waits", async () => {
    const { clock, limiter } = simLimiter({ assumeTokenLimit: false });
    const tickets = await Promise.all(Array.from({ length: 10 }, () => limiter.acquire(req(), signal())));
    for (const t of tickets.slice(0, 9)) limiter.complete(t, answer(200));
    expect(limiter.complete(tickets[9], answer(429, 1))).toEqual({ pausedMs: 0, scope: "client" });
    // Not paused, but paced: the next requests go one by one.
    const next = limiter.acquire(req(), signal());
    await clock.run(clock.now() + 500);
    const probe = await next;
    expect(limiter.snapshot().pace).toBeGreaterThan(5);
    const at = clock.now();
    const verdict = limiter.complete(probe, answer(429, 1));
    // The window began with the first request (t = 0) and lasts whole seconds: it ends at 1 s, everybody waits.
    expect(verdict!.pausedMs).toBeGreaterThan(1000 - at);
    expect(verdict!.pausedMs).toBeLessThan(1100 - at);
    expect(limiter.snapshot().limits[0]).toMatchObject({ kind: "window", countPerWindow: 9 });
    expect(limiter.snapshot().pausedUntil).toBeGreaterThan(clock.epochNow());
  });

  it("a success after the first 429 means a bucket: nobody is paused", async () => {
    const { clock, limiter } = simLimiter({ assumeTokenLimit: false });
    const tickets = await Promise.all(Array.from({ length: 10 }, () => limiter.acquire(req(), signal())));
    for (const t of tickets.slice(0, 9)) limiter.complete(t, answer(200));
    limiter.complete(tickets[9], answer(429, 1));
    const next = limiter.acquire(req(), signal());
    await clock.run(clock.now() + 500);
    limiter.complete(await next, answer(200));
    expect(limiter.snapshot()).toMatchObject({ pausedUntil: undefined, limits: [{ kind: "bucket" }] });
  });

  it("scopes a limit named for a namespace to the route groups seen with it", async () => {
    const { clock, limiter } = simLimiter();
    const first = await limiter.acquire(req("users"), signal());
    const directory = { key: "user.rate.per.minute", namespace: "directory", value: 180 };
    const verdict = limiter.complete(first, answer(429, 30, genesys429(30, directory)));
    expect(verdict).toMatchObject({ scope: "namespace:directory" });
    expect(verdict!.pausedMs).toBeGreaterThan(29_000);
    // users waits for the directory window; flows (architect) goes at once.
    let usersGranted = false;
    void limiter.acquire(req("users"), signal()).then(() => (usersGranted = true));
    const flows = await limiter.acquire(req("flows"), signal());
    await clock.run(clock.now() + 1000);
    expect(flows.routeGroup).toBe("flows");
    expect(usersGranted).toBe(false);
    expect(limiter.snapshot().limits).toContainEqual(
      expect.objectContaining({ key: "user.rate.per.minute", namespace: "directory", countPerWindow: 180, source: "body" }),
    );
    await clock.run(clock.now() + 30_000);
    expect(usersGranted).toBe(true);
  });

  it("never imposes a Retry-After above maxRetryAfterMs on others; a named namespace refuses calls that may not wait that long", async () => {
    const { limiter } = simLimiter({ maxRetryAfterMs: 90_000 });
    const a = await limiter.acquire(req("users"), signal());
    expect(limiter.complete(a, answer(429, 99_999))).toEqual({ pausedMs: 0, scope: "client" });
    await limiter.acquire(req("users"), signal()); // not paused
    expect(limiter.snapshot().pausedUntil).toBeUndefined();

    const b = await limiter.acquire(req("analytics"), signal());
    const daily = { key: "org.analytics.rate.per.day", namespace: "analytics", value: 10 };
    limiter.complete(b, answer(429, 99_999, genesys429(99_999, { ...daily, key: "queries.rate.per.day" })));
    const refused = limiter.acquire(req("analytics", { maxWaitMs: 120_000 }), signal());
    await expect(refused).rejects.toBeInstanceOf(RetryBudgetExceededError);
    await expect(refused).rejects.toMatchObject({
      reason: "retry-budget",
      message: expect.stringMatching(/holds calls of this scope until .* \(100 s|99999 s|1000\d\d s/),
    });
    await limiter.acquire(req("users"), signal()); // other route groups go on
  });

  it("refuses at once a wait longer than the attempt may wait (maxWaitMs)", async () => {
    const { clock, limiter } = simLimiter();
    const tickets = await Promise.all(Array.from({ length: 300 }, () => limiter.acquire(req(), signal())));
    for (const t of tickets) limiter.complete(t, answer(200));
    const probe = await limiter.acquire(req(), signal()); // the probe past the assumed 300 goes once they are answered
    limiter.complete(probe, answer(429, 60, genesys429(60)));
    await expect(limiter.acquire(req("users", { maxWaitMs: 5_000 }), signal())).rejects.toMatchObject({
      name: "RetryBudgetExceededError",
      reason: "retry-budget",
    });
    let granted = false;
    void limiter.acquire(req("users", { maxWaitMs: 120_000 }), signal()).then(() => (granted = true));
    await clock.run(clock.now() + 61_000);
    expect(granted).toBe(true);
  });

  it("removes an aborted caller at once and leaves no timer behind", async () => {
    const { clock, limiter } = simLimiter({ adaptive: false, requestsPerSecond: 1 });
    await limiter.acquire(req(), signal());
    const controller = new AbortController();
    const waiting = limiter.acquire(req(), controller.signal);
    expect(limiter.snapshot().queued).toBe(1);
    expect(clock.pending()).toBe(1);
    controller.abort(new Error("stop"));
    await expect(waiting).rejects.toThrow("stop");
    expect(limiter.snapshot().queued).toBe(0);
    expect(clock.pending()).toBe(0);
    await expect(limiter.acquire(req(), controller.signal)).rejects.toThrow("stop");
  });

  it("keeps a fixed requestsPerSecond cap, and lets retries go first", async () => {
    const { clock, limiter } = simLimiter({ adaptive: false, requestsPerSecond: 10, burst: 2 });
    const order: string[] = [];
    const granted: number[] = [];
    for (let i = 0; i < 4; i++) void limiter.acquire(req(), signal()).then(() => [order.push(`first${i}`), granted.push(clock.now())]);
    void limiter.acquire(req("users", { isRetry: true }), signal()).then(() => [order.push("retry"), granted.push(clock.now())]);
    await clock.run(1000);
    expect(granted).toEqual([0, 0, 100, 200, 300]);
    expect(order.slice(0, 3)).toEqual(["first0", "first1", "retry"]);
    expect(limiter.snapshot().pace).toBe(10);
  });

  it("sends one request first when quota headers may come, and paces by them after", async () => {
    const { clock, limiter } = simLimiter({ useHeaders: true });
    const granted: number[] = [];
    const tickets = Array.from({ length: 10 }, () => limiter.acquire(req(), signal()).then((t) => (granted.push(clock.now()), t)));
    await clock.run(10);
    expect(granted).toEqual([0]);
    limiter.complete(await tickets[0], {
      status: 200,
      headers: new Headers({ "inin-ratelimit-allowed": "6", "inin-ratelimit-count": "4", "inin-ratelimit-reset": "60" }),
    });
    await clock.run(11);
    expect(granted).toHaveLength(2); // 2 left, one kept as a margin
  });

  it("tells what it learned and when it pauses; listeners can be disposed", async () => {
    const { limiter } = simLimiter({ limits: [{ key: "user.rate.per.minute", namespace: "directory", value: 2, routeGroups: ["users"] }] });
    const learned: LearnedLimit[] = [];
    const pauses: PauseEvent[] = [];
    const subscription = limiter.onLearned((l) => void learned.push(l));
    limiter.onPause((p) => void pauses.push(p));
    expect(limiter.snapshot().limits).toContainEqual(expect.objectContaining({ namespace: "directory", countPerWindow: 2, source: "configured" }));
    // A configured count is the server's: no probe past it. Another user of the limit took one of the two.
    const t = await Promise.all([0, 1].map(() => limiter.acquire(req("users"), signal())));
    limiter.complete(t[0], answer(200));
    limiter.complete(t[1], answer(429, 60, genesys429(60, { key: "user.rate.per.minute", namespace: "directory", value: 2 })));
    expect(pauses).toEqual([expect.objectContaining({ scope: "namespace:directory", reason: "window" })]);
    const flows = await limiter.acquire(req("flows"), signal());
    limiter.complete(flows, answer(429, 60, genesys429(60, { key: "flow.rate.per.minute", namespace: "architect", value: 50 })));
    expect(learned).toContainEqual(expect.objectContaining({ key: "flow.rate.per.minute", namespace: "architect", countPerWindow: 50, source: "body" }));
    subscription.dispose();
    const before = learned.length;
    const conversations = await limiter.acquire(req("conversations"), signal());
    limiter.complete(conversations, answer(429, 60, genesys429(60, { key: "conversation.rate.per.minute", namespace: "conversation", value: 9 })));
    expect(learned).toHaveLength(before);
    expect(limiter.snapshot().limits).toContainEqual(expect.objectContaining({ namespace: "conversation" }));
  });
});
