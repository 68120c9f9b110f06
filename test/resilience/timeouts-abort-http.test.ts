// Per-attempt timeout, total deadline and the caller's AbortSignal, over real HTTP against the simulator.
// No upper time bounds here (a loaded machine would flake them): an abort is prompt when the call ends with
// AbortedError although what it waited for (a 30 s Retry-After, a 2 s answer) is far away; the stages' waits are
// tested in simulated time.
import { describe, expect, it } from "vitest";
import { AbortedError, RetryBudgetExceededError, TimeoutError, type GenesysEvents } from "../../src/index.js";
import type { Simulator } from "../../src/simulator/index.js";
import { apiArrivals, simClient, sleep, useSharedSim } from "../support/sim-client.js";

let sim: Simulator;
let token: string;
useSharedSim((shared) => ({ sim, token } = shared));

const slow = (ms: number) => sim.configure({ faults: [{ kind: "latency", latencyMs: ms, route: "/api/v2/users/me" }] });

/** Waits until `condition` holds (polling; the test's own timeout is the bound). */
const until = async (condition: () => boolean) => {
  while (!condition()) await sleep(10);
};

describe("timeouts", () => {
  it("aborts an attempt past timeoutMs: TimeoutError when not retried, retried when idempotent", async () => {
    slow(1_000);
    const gc = simClient(sim, token, { resilience: { retry: { baseDelayMs: 5, maxDelayMs: 10 } } });
    const timeouts: GenesysEvents["timeout"][] = [];
    gc.on("timeout", (e) => void timeouts.push(e));

    const single = await gc.GET("/api/v2/users/me", { resilience: { timeoutMs: 100, retry: false } }).catch((e: unknown) => e);
    expect(single).toBeInstanceOf(TimeoutError);
    expect(single).toMatchObject({ scope: "attempt", timeoutMs: 100 });
    expect(timeouts[0]).toEqual({ scope: "attempt", timeoutMs: 100, method: "GET", path: "/api/v2/users/me" });

    const retried = await gc.GET("/api/v2/users/me", { resilience: { timeoutMs: 100, maxAttempts: 2 } }).catch((e: unknown) => e);
    expect(retried).toBeInstanceOf(RetryBudgetExceededError);
    expect(retried).toMatchObject({ reason: "max-attempts", attempts: 2 });
    expect((retried as Error).cause).toBeInstanceOf(TimeoutError);
    expect(timeouts).toHaveLength(3);
  });

  it("does not retry a timed-out POST (it may have been processed)", async () => {
    sim.configure({ faults: [{ kind: "latency", latencyMs: 1_000, route: "/api/v2/flows/executions" }] });
    const gc = simClient(sim, token);
    const error = await gc.POST("/api/v2/flows/executions", { body: { flowId: "f" }, resilience: { timeoutMs: 100 } }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(TimeoutError);
    await sleep(50);
    expect(apiArrivals(sim).filter((a) => a.route === "/api/v2/flows/executions")).toHaveLength(1);
  });

  it("ends the whole call at its deadline, waits included", async () => {
    sim.configure({ faults: [{ kind: "status", status: 503, retryAfter: 5, route: "/api/v2/users/me" }] });
    const gc = simClient(sim, token);
    const timeouts: GenesysEvents["timeout"][] = [];
    gc.on("timeout", (e) => void timeouts.push(e));
    const error = await gc.GET("/api/v2/users/me", { resilience: { deadlineMs: 300 } }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(TimeoutError);
    expect(error).toMatchObject({ scope: "total", timeoutMs: 300 });
    // The deadline ended the 5 s Retry-After wait: the first attempt was the only one sent, none after it.
    await sleep(50);
    expect(apiArrivals(sim).filter((a) => a.route === "/api/v2/users/me")).toHaveLength(1);
    expect(timeouts).toEqual([{ scope: "total", timeoutMs: 300, method: "GET", path: "/api/v2/users/me" }]);
  });
});

describe("the caller's AbortSignal", () => {
  it("ends a long Retry-After wait at once", async () => {
    sim.configure({ faults: [{ kind: "status", status: 503, retryAfter: 30, route: "/api/v2/users/me" }] });
    const gc = simClient(sim, token);
    let waiting!: () => void;
    const retryScheduled = new Promise<void>((resolve) => (waiting = resolve));
    gc.on("retry", () => waiting());
    const controller = new AbortController();
    const call = gc.GET("/api/v2/users/me", { signal: controller.signal }).catch((e: unknown) => e);
    await retryScheduled;
    await sleep(50);
    controller.abort(new Error("user went away"));
    const error = await call;
    expect(error).toBeInstanceOf(AbortedError);
    expect((error as Error).cause).toMatchObject({ message: "user went away" });
    expect((error as Error).message).toBe("GET /api/v2/users/me was aborted by the caller.");
    expect(apiArrivals(sim)).toHaveLength(1);
  });

  it("ends a wait for the shared 429 pause at once", async () => {
    // A window of 1 per 60 s, named in its 429 body: after the 429 everybody waits for the window's end.
    sim.configure({ rateLimit: { model: "fixed-window", limit: 1, windowSeconds: 60 } });
    const gc = simClient(sim, token);
    expect((await gc.GET("/api/v2/users/me")).response.status).toBe(200);
    const first = gc.GET("/api/v2/users/me", { signal: AbortSignal.timeout(1_000) }).catch((e: unknown) => e);
    await until(() => gc.stats().pausedUntil !== undefined);
    expect(gc.stats().pausedUntil).toBeGreaterThan(Date.now() + 20_000);
    const controller = new AbortController();
    const second = gc.GET("/api/v2/users/me", { signal: controller.signal }).catch((e: unknown) => e);
    await until(() => gc.stats().queued === 1); // waiting for its turn at the limiter
    controller.abort();
    expect(await second).toBeInstanceOf(AbortedError);
    expect(gc.stats().queued).toBe(0);
    expect(await first).toBeInstanceOf(AbortedError);
  });

  it("removes a call queued in the bulkhead, and aborts an in-flight fetch", async () => {
    slow(2_000);
    const gc = simClient(sim, token, { resilience: { bulkhead: { maxConcurrent: 1 } } });
    const inFlight = new AbortController();
    const queued = new AbortController();
    const running = gc.GET("/api/v2/users/me", { signal: inFlight.signal }).catch((e: unknown) => e);
    const waiting = gc.GET("/api/v2/users/me", { signal: queued.signal }).catch((e: unknown) => e);
    await sleep(100);
    expect(gc.stats()).toMatchObject({ inFlight: 1, queued: 1 });

    queued.abort();
    expect(await waiting).toBeInstanceOf(AbortedError);
    expect(gc.stats()).toMatchObject({ inFlight: 1, queued: 0 });

    inFlight.abort();
    expect(await running).toBeInstanceOf(AbortedError);
    expect(gc.stats()).toMatchObject({ inFlight: 0, queued: 0 });
    expect(apiArrivals(sim).length).toBeLessThanOrEqual(1);
  });
});
