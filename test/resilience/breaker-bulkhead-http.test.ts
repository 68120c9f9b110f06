// Circuit breaker per route group and the bulkhead's cap, over real HTTP against the simulator.
import { describe, expect, it } from "vitest";
import { BreakerOpenError, BulkheadFullError, type GenesysEvents } from "../../src/index.js";
import type { Simulator } from "../../src/simulator/index.js";
import { apiArrivals, simClient, sleep, useSharedSim } from "../support/sim-client.js";

let sim: Simulator;
let token: string;
useSharedSim((shared) => ({ sim, token } = shared));

describe("circuit breaker", () => {
  it("opens after consecutive failures, fails fast naming the group, half-opens, and closes on a good probe", async () => {
    sim.configure({ faults: [{ kind: "status", status: 503, route: "/api/v2/users/me" }] });
    const gc = simClient(sim, token, { resilience: { retry: false, breaker: { consecutiveFailures: 3, halfOpenAfterMs: 400 } } });
    const events: string[] = [];
    let opened: GenesysEvents["breakerOpen"] | undefined;
    gc.on("breakerOpen", (e) => void (events.push(`open ${e.routeGroup}`), (opened = e)));
    gc.on("breakerHalfOpen", (e) => void events.push(`half-open ${e.routeGroup}`));
    gc.on("breakerClose", (e) => void events.push(`close ${e.routeGroup}`));

    for (let i = 0; i < 3; i++) expect((await gc.GET("/api/v2/users/me")).response.status).toBe(503);
    expect(events).toEqual(["open users"]);
    expect(gc.stats().breakers).toEqual({ users: "open" });

    // Open: refused without a request, with the group and the probe time in the error.
    const error = await gc.GET("/api/v2/users/me").catch((e: unknown) => e);
    expect(error).toBeInstanceOf(BreakerOpenError);
    expect(error).toMatchObject({ routeGroup: "users", probeAt: opened!.probeAt, operation: { method: "GET", path: "/api/v2/users/me" } });
    expect((error as Error).message).toMatch(/route group "users" is open.*probe again at \d{4}-\d\d-\d\dT/);
    expect(apiArrivals(sim)).toHaveLength(3);
    // Other route groups are not affected.
    expect((await gc.GET("/api/v2/conversations/messages")).response.status).toBe(200);

    // After halfOpenAfterMs one probe goes; while it is in flight others still fail fast.
    await sleep(450);
    sim.configure({ faults: [{ kind: "latency", latencyMs: 300, route: "/api/v2/users/me", count: 1 }] });
    const probe = gc.GET("/api/v2/users/me");
    await sleep(100);
    expect(gc.stats().breakers.users).toBe("half-open");
    await expect(gc.GET("/api/v2/users/me")).rejects.toBeInstanceOf(BreakerOpenError);
    expect((await probe).response.status).toBe(200);
    expect(events).toEqual(["open users", "half-open users", "close users"]);
    expect(gc.stats().breakers.users).toBe("closed");
    expect((await gc.GET("/api/v2/users/me")).response.status).toBe(200);
  });

  it("a failed probe opens the circuit again", async () => {
    sim.configure({ faults: [{ kind: "status", status: 502, route: "/api/v2/users/me" }] });
    const gc = simClient(sim, token, { resilience: { retry: false, breaker: { consecutiveFailures: 2, halfOpenAfterMs: 200 } } });
    const events: string[] = [];
    gc.on("breakerOpen", () => void events.push("open"));
    gc.on("breakerHalfOpen", () => void events.push("half-open"));
    gc.on("breakerClose", () => void events.push("close"));
    await gc.GET("/api/v2/users/me");
    await gc.GET("/api/v2/users/me");
    await sleep(250);
    expect((await gc.GET("/api/v2/users/me")).response.status).toBe(502);
    expect(events).toEqual(["open", "half-open", "open"]);
    await expect(gc.GET("/api/v2/users/me")).rejects.toBeInstanceOf(BreakerOpenError);
  });

  it("429s and other 4xx never count as failures", async () => {
    sim.configure({ faults: [{ kind: "status", status: 429, retryAfter: 1, route: "/api/v2/users/me" }] });
    const gc = simClient(sim, token, { resilience: { retry: false, rateLimit: false, breaker: { consecutiveFailures: 2 } } });
    for (let i = 0; i < 4; i++) expect((await gc.GET("/api/v2/users/me")).response.status).toBe(429);
    for (let i = 0; i < 4; i++) expect((await gc.GET("/api/v2/users/{userId}", { params: { path: { userId: "no-such-user" } } })).response.status).toBe(404);
    expect(gc.stats().breakers.users).toBe("closed");
  });

  it("a retry that cannot wait for the probe of a circuit that opened meanwhile ends the call with its last answer", async () => {
    sim.configure({ faults: [{ kind: "status", status: 503, route: "/api/v2/users/me" }] });
    const breaker = { consecutiveFailures: 2, halfOpenAfterMs: 5_000, maxHalfOpenAfterMs: 5_000 };
    const gc = simClient(sim, token, { resilience: { retry: { baseDelayMs: 5, maxDelayMs: 10, budgetMs: 1_000 }, breaker } });
    const giveUps: GenesysEvents["giveUp"][] = [];
    gc.on("giveUp", (e) => void giveUps.push(e));
    const { response, error } = await gc.GET("/api/v2/users/me");
    expect(response.status).toBe(503);
    // The answer was kept whole while the call waited to retry: its body still reads.
    expect(error).toMatchObject({ status: 503, code: "service.unavailable" });
    expect(apiArrivals(sim)).toHaveLength(2);
    expect(giveUps).toEqual([{ reason: "breaker-open", attempts: 2, status: 503, method: "GET", path: "/api/v2/users/me" }]);
  });
});

describe("bulkhead", () => {
  it("never lets more than maxConcurrent attempts be in flight", async () => {
    sim.configure({ latencyMs: 40 });
    const gc = simClient(sim, token, { resilience: { bulkhead: { maxConcurrent: 4 } } });
    let peakQueued = 0;
    const calls = Array.from({ length: 24 }, () => gc.GET("/api/v2/users/me"));
    for (let i = 0; i < 5; i++) {
      await sleep(20);
      peakQueued = Math.max(peakQueued, gc.stats().queued);
    }
    const results = await Promise.all(calls);
    expect(results.every((r) => r.response.status === 200)).toBe(true);
    expect(sim.stats().maxInFlight).toBeLessThanOrEqual(4);
    expect(sim.stats().maxInFlight).toBeGreaterThanOrEqual(3);
    expect(peakQueued).toBeGreaterThan(10);
    expect(gc.stats()).toMatchObject({ inFlight: 0, queued: 0 });
  });

  it("refuses calls past maxQueued with BulkheadFullError and a bulkheadReject event", async () => {
    sim.configure({ latencyMs: 100 });
    const gc = simClient(sim, token, { resilience: { bulkhead: { maxConcurrent: 2, maxQueued: 3 } } });
    const rejects: GenesysEvents["bulkheadReject"][] = [];
    gc.on("bulkheadReject", (e) => void rejects.push(e));
    const outcomes = await Promise.allSettled(Array.from({ length: 8 }, () => gc.GET("/api/v2/users/me")));
    const refused = outcomes.filter((o) => o.status === "rejected").map((o) => (o as PromiseRejectedResult).reason);
    expect(outcomes.filter((o) => o.status === "fulfilled")).toHaveLength(5);
    expect(refused).toHaveLength(3);
    for (const e of refused) expect(e).toBeInstanceOf(BulkheadFullError);
    expect(refused[0]).toMatchObject({ maxConcurrent: 2, maxQueued: 3 });
    expect(refused[0].message).toMatch(/2 running and 3 queued.*GET \/api\/v2\/users\/me was refused/);
    expect(rejects).toHaveLength(3);
    expect(rejects[0]).toMatchObject({ method: "GET", path: "/api/v2/users/me", queued: 3 });
    expect(apiArrivals(sim)).toHaveLength(5);
  });
});
