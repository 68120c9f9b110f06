// Calls that finish through short outages, over real HTTP against the simulator: the composed pipeline holds
// calls at an open circuit instead of failing them, keeps auth out of the attempt, and composes user policies
// with the built-ins. Assertions are about behaviour (counts, outcomes), never about elapsed time.
import { handleAll, retry, wrap } from "cockatiel";
import { describe, expect, it } from "vitest";
import { BreakerOpenError, createGenesysClient, type GenesysEvents } from "../../src/index.js";
import type { Simulator } from "../../src/simulator/index.js";
import { apiArrivals, simClient, sleep, useSharedSim } from "../support/sim-client.js";

let sim: Simulator;
let token: string;
useSharedSim((shared) => ({ sim, token } = shared));

const userId = (i: number) => `5e000001-0000-4000-8000-${i.toString(16).padStart(12, "0")}`;

describe("short outages", () => {
  it("a 1.5 s storm of 503s on GETs: all 200 calls succeed (the open circuit holds them, it does not fail them)", async () => {
    // The storm lasts until the circuit has opened and holds calls, then 1.5 s more: its length does not depend on
    // how fast this machine gets the calls going.
    sim.configure({ latencyMs: 5, faults: [{ kind: "status", status: 503, route: "/api/v2/users/{userId}" }] });
    const gc = simClient(sim, token);
    const opened: GenesysEvents["breakerOpen"][] = [];
    gc.on("breakerOpen", (e) => void opened.push(e));
    const calls = Promise.all(Array.from({ length: 200 }, (_, i) => gc.GET("/api/v2/users/{userId}", { params: { path: { userId: userId(i) } } })));
    while (gc.stats().held === 0) await sleep(5);
    await sleep(1_500);
    sim.configure({ faults: [] });
    const results = await calls;
    expect(results.map((r) => r.response.status)).toEqual(Array(200).fill(200));
    expect(opened.length).toBeGreaterThan(0);
    expect(gc.stats()).toMatchObject({ held: 0, inFlight: 0, breakers: { users: "closed" } });
  });

  it("50 POSTs through a processed-then-503 storm: each executed exactly once, none dropped untold", async () => {
    // The first 20 are executed and answered 503: enough to open the circuit, which then holds the rest.
    sim.configure({ latencyMs: 20, faults: [{ kind: "processed-then-503", route: "/api/v2/flows/executions", count: 20 }] });
    const gc = simClient(sim, token, { resilience: { breaker: { minimumRps: 1 }, bulkhead: { maxConcurrent: 8 } } });
    const opened: GenesysEvents["breakerOpen"][] = [];
    gc.on("breakerOpen", (e) => void opened.push(e));
    const outcomes = await Promise.allSettled(
      Array.from({ length: 50 }, (_, i) => gc.POST("/api/v2/flows/executions", { body: { flowId: `flow-${i}`, inputData: { n: String(i) } } })),
    );
    // Every call ends with an answer: 200, or the 503 of a request that was executed (never blindly repeated).
    expect(outcomes.every((o) => o.status === "fulfilled")).toBe(true);
    const statuses = outcomes.map((o) => (o as PromiseFulfilledResult<{ response: Response }>).value.response.status);
    expect(statuses.every((s) => s === 200 || s === 503)).toBe(true);
    expect(statuses.filter((s) => s === 503)).toHaveLength(20);
    expect(statuses.filter((s) => s === 200)).toHaveLength(30);
    const { executions } = sim.stats();
    expect(executions).toMatchObject({ flows: 50, duplicates: 0 });
    expect(opened.length).toBeGreaterThan(0); // POSTs not yet sent were held at the open circuit, then sent once
  });

  it("a sustained outage: calls that cannot wait fail fast with BreakerOpenError; the server sees only probes", async () => {
    sim.configure({ faults: [{ kind: "status", status: 503, route: "/api/v2/users/me" }] });
    const gc = simClient(sim, token, { resilience: { breaker: { minimumRps: 1, halfOpenAfterMs: 100, maxHalfOpenAfterMs: 100 } } });
    let probes = 0;
    gc.on("breakerHalfOpen", () => void probes++);
    while (gc.stats().breakers.users !== "open") await gc.GET("/api/v2/users/me", { resilience: { retry: false } });
    const beforeOpen = apiArrivals(sim).length;
    probes = 0;
    const fast = await Promise.allSettled(Array.from({ length: 30 }, () => gc.GET("/api/v2/users/me", { resilience: { retry: false } })));
    expect(fast.every((o) => o.status === "rejected" && o.reason instanceof BreakerOpenError)).toBe(true);
    // Calls with a short retry budget wait at the circuit, then end; meanwhile only probes reach the server.
    const patient = await Promise.allSettled(Array.from({ length: 20 }, () => gc.GET("/api/v2/users/me", { resilience: { retry: { budgetMs: 600 } } })));
    for (const o of patient) {
      if (o.status === "rejected") expect(o.reason).toBeInstanceOf(BreakerOpenError);
      else expect(o.value.response.status).toBe(503);
    }
    expect(probes).toBeGreaterThan(0);
    expect(apiArrivals(sim).length - beforeOpen).toBe(probes);
  });

  it("a 1.5 s login with 1 s attempt timeouts: 20 of 20 succeed on one token request", async () => {
    sim.configure({ faults: [{ kind: "latency", route: "/oauth/token", latencyMs: 1_500, count: 1 }] });
    const gc = createGenesysClient({
      baseUrl: sim.url,
      auth: { clientId: "sim-client", clientSecret: "sim-secret" },
      resilience: { timeout: { attemptMs: 1_000 } },
    });
    const results = await Promise.all(Array.from({ length: 20 }, () => gc.GET("/api/v2/users/me")));
    expect(results.map((r) => r.response.status)).toEqual(Array(20).fill(200));
    expect(sim.stats().tokenRequests).toBe(1);
    expect(gc.stats().breakers.users).toBe("closed");
  });
});

describe("your own cockatiel policies compose with the built-ins", () => {
  it("a per-call retry(handleAll) during a shared 429 pause: its calls wait in the pause, at most 3 more 429s", async () => {
    sim.configure({ faults: [{ kind: "status", status: 429, retryAfter: 2, count: 1, route: "/api/v2/users/me" }] });
    const gc = simClient(sim, token);
    const first = gc.GET("/api/v2/users/me"); // gets the 429: everybody pauses 2 s
    while (gc.stats().rateLimited === 0) await sleep(5);
    const policy = retry(handleAll, { maxAttempts: 3 });
    let runs = 0;
    policy.onRetry(() => void runs++);
    const results = await Promise.all(Array.from({ length: 20 }, () => gc.GET("/api/v2/users/me", { resilience: { policy } })));
    expect(results.map((r) => r.response.status)).toEqual(Array(20).fill(200));
    expect((await first).response.status).toBe(200);
    expect(sim.stats().rateLimited - 1).toBeLessThanOrEqual(3);
    expect(runs).toBe(0); // nothing failed: the built-ins absorbed the pause
  });

  it("a client policy wraps every call and sees its final answer; replaceBuiltIns is the explicit way to drop the built-ins", async () => {
    sim.configure({ faults: [{ kind: "status", status: 503, count: 1, route: "/api/v2/users/me" }] });
    const seen: number[] = [];
    const observe = retry(handleAll, { maxAttempts: 1 });
    observe.onSuccess(() => void seen.push(1));
    const gc = simClient(sim, token, { resilience: { policy: observe, retry: { baseDelayMs: 5 } } });
    expect((await gc.GET("/api/v2/users/me")).response.status).toBe(200); // the built-in retry absorbed the 503
    expect(seen).toEqual([1]); // the user policy ran once, around the whole call
    sim.configure({ faults: [{ kind: "status", status: 503, count: 1, route: "/api/v2/users/me" }] });
    const bare = simClient(sim, token, { resilience: { replaceBuiltIns: wrap(retry(handleAll, { maxAttempts: 1 })) } });
    expect((await bare.GET("/api/v2/users/me")).response.status).toBe(503); // no built-in retry
  });
});
