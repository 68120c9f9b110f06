// The rate limiter over real HTTP against the simulator, asserting behaviour only (counts, order, kinds, events);
// the speed figures are measured by `npm run bench` (bench/), never here.
import { describe, expect, it } from "vitest";
import type { GenesysEvents } from "../../src/index.js";
import type { Simulator } from "../../src/simulator/index.js";
import { apiArrivals, simClient, sleep, useSharedSim } from "../support/sim-client.js";

let sim: Simulator;
let token: string;
useSharedSim((shared) => ({ sim, token } = shared));

const statuses = (results: { response: Response }[]) => results.map((r) => r.response.status);

describe("rate limiter over HTTP", () => {
  // Which kind a limit is, is decided in simulated time (rate-limiter.test.ts); over HTTP on a loaded machine a
  // slow opening can make a short window look like a slow bucket (and paced like one, it works as well), so these
  // two assert what a user sees: every call succeeds, few 429s, something learned.
  it("a fixed window without headers: every call succeeds with few 429s, and the limit is learned", async () => {
    // 2 s windows: long enough that a loaded machine's slow opening wave stays inside the first one.
    sim.configure({ rateLimit: { model: "fixed-window", limit: 10, windowSeconds: 2 }, rateLimitHeaders: false });
    const gc = simClient(sim, token);
    const results = await Promise.all(Array.from({ length: 25 }, () => gc.GET("/api/v2/users/me")));
    expect(statuses(results)).toEqual(Array(25).fill(200));
    expect(results[0].response.headers.get("inin-ratelimit-allowed")).toBeNull();
    // Learned: its kind, or (still probing for it on a loaded machine, when the last answers came late) a pace.
    expect(gc.stats().rateLimits).toContainEqual(expect.objectContaining({ key: "token", source: "learned", ratePerSecond: expect.any(Number) }));
    // The opening wave (up to a bulkhead's worth) may meet the window; after that at most a probe per window.
    expect(apiArrivals(sim).filter((a) => a.status === 429).length).toBeLessThanOrEqual(60); // unpaced: hundreds
  });

  it("a token bucket without headers: every call succeeds with few 429s, and the limit is learned", async () => {
    sim.configure({ rateLimit: { model: "token-bucket", capacity: 10, refillPerSecond: 100 }, rateLimitHeaders: false });
    const gc = simClient(sim, token);
    const limited: GenesysEvents["rateLimited"][] = [];
    gc.on("rateLimited", (e) => void limited.push(e));
    const results = await Promise.all(Array.from({ length: 300 }, () => gc.GET("/api/v2/users/me")));
    expect(statuses(results)).toEqual(Array(300).fill(200));
    const arrivals = apiArrivals(sim);
    // Unpaced, most attempts would meet a 429; paced, a few per learning step (generous: the machine may be loaded).
    expect(arrivals.filter((a) => a.status === 429).length / arrivals.length).toBeLessThan(0.3);
    // Learned: its kind, or (still probing for it on a loaded machine, when the last answers came late) a pace.
    expect(gc.stats().rateLimits).toContainEqual(expect.objectContaining({ key: "token", source: "learned", ratePerSecond: expect.any(Number) }));
    expect(limited.length).toBeGreaterThan(0);
    expect(limited.every((e) => e.retryAfterMs === 1000 && e.scope === "client")).toBe(true);
  });

  it("still paces by inin-ratelimit-* headers before any 429 when the server sends them", async () => {
    sim.configure({ rateLimit: { model: "fixed-window", limit: 40, windowSeconds: 1 }, rateLimitHeaders: true });
    const gc = simClient(sim, token);
    const results = await Promise.all(Array.from({ length: 60 }, () => gc.GET("/api/v2/users/me")));
    expect(statuses(results)).toEqual(Array(60).fill(200));
    // Unpaced, 20 would meet the window; paced by the headers, at most a probe or two (a loaded machine may add one).
    expect(sim.stats().rateLimited).toBeLessThanOrEqual(5);
  });

  it("a namespace's limit named in 429 bodies holds back that namespace only", async () => {
    sim.configure({
      rateLimit: false,
      limits: [
        {
          per: "token",
          route: "/api/v2/users*",
          limit: { model: "fixed-window", limit: 5, windowSeconds: 1, name: { key: "user.rate.per.second", namespace: "directory" } },
        },
      ],
    });
    const gc = simClient(sim, token);
    const done: string[] = [];
    const users = Array.from({ length: 20 }, () => gc.GET("/api/v2/users/me").then((r) => (done.push("users"), r)));
    await sleep(50); // the directory limit has answered its first 429s
    const conversations = Array.from({ length: 20 }, () => gc.GET("/api/v2/conversations/messages").then((r) => (done.push("conversations"), r)));
    const results = await Promise.all([...users, ...conversations]);
    expect(statuses(results)).toEqual(Array(40).fill(200));
    expect(gc.stats().rateLimits).toContainEqual(
      expect.objectContaining({ key: "user.rate.per.second", namespace: "directory", countPerWindow: 5, source: "body" }),
    );
    const byRoute = sim.stats().byRoute;
    expect(byRoute["GET /api/v2/conversations/messages"]).toEqual({ "200": 20 });
    // The conversations did not wait for the directory's windows: all of them finished before the last users call.
    expect(done.lastIndexOf("conversations")).toBeLessThan(done.lastIndexOf("users"));
  });

  it("one limiter per route group with scope: route-group", async () => {
    sim.configure({ faults: [{ kind: "status", status: 429, retryAfter: 1, count: 1, route: "/api/v2/users/me" }] });
    const gc = simClient(sim, token, { resilience: { rateLimit: { scope: "route-group", useHeaders: false } } });
    const limited: GenesysEvents["rateLimited"][] = [];
    gc.on("rateLimited", (e) => void limited.push(e));
    const order: string[] = [];
    const users = gc.GET("/api/v2/users/me").then((r) => (order.push("users"), r));
    await sleep(100);
    const conversations = gc.GET("/api/v2/conversations/messages").then((r) => (order.push("conversations"), r));
    expect((await conversations).response.status).toBe(200);
    expect((await users).response.status).toBe(200);
    expect(order).toEqual(["conversations", "users"]); // the users group's 429 held back users only
    expect(limited.map((e) => e.scope)).toEqual(["users"]);
  });

  it("a Retry-After far above maxRetryAfterMs ends its own call at once and stalls nobody else", async () => {
    // Hourly/daily caps answer like this; before, the shared limiter paused every later call for the full value.
    sim.configure({ faults: [{ kind: "status", status: 429, retryAfter: 86_400, count: 1, route: "/api/v2/users/me" }] });
    const gc = simClient(sim, token);
    const first = await gc.GET("/api/v2/users/me").catch((error: unknown) => error);
    expect(first).toMatchObject({ name: "RetryBudgetExceededError", reason: "retry-after-too-long" });
    expect(gc.stats().pausedUntil).toBeUndefined();
    const later = await Promise.all([gc.GET("/api/v2/users/me"), gc.GET("/api/v2/conversations/messages")]);
    expect(statuses(later)).toEqual([200, 200]);
  });
});
