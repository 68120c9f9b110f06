// The shared rate limiter over real HTTP: a 429 pauses every caller, calls resume paced, quota headers pace before
// any 429, and a small goodput check (loose bounds; the real target is measured by bench/goodput-quick.ts).
import { describe, expect, it } from "vitest";
import type { GenesysEvents } from "../../src/index.js";
import type { Simulator } from "../../src/simulator/index.js";
import { apiArrivals, peakPerSlot, simClient, sleep, useSharedSim } from "../support/sim-client.js";

let sim: Simulator;
let token: string;
useSharedSim((shared) => ({ sim, token } = shared));

describe("rate limiter", () => {
  it("pauses every caller until the Retry-After of a 429, then resumes them paced", async () => {
    // Without quota headers (as Genesys today): 10 per 1 s window, 30 callers at once.
    sim.configure({ rateLimit: { model: "fixed-window", limit: 10, windowSeconds: 1 } });
    const gc = simClient(sim, token, { resilience: { rateLimit: { useHeaders: false } } });
    const limited: GenesysEvents["rateLimited"][] = [];
    gc.on("rateLimited", (e) => void limited.push(e));
    const first = Array.from({ length: 30 }, () => gc.GET("/api/v2/users/me"));
    await sleep(300);
    // Calls started during the pause wait too, although none of them got a 429.
    const stats = gc.stats();
    expect(stats.pausedUntil).toBeGreaterThan(Date.now());
    expect(stats.rateLimited).toBeGreaterThan(0);
    const late = Array.from({ length: 5 }, () => gc.GET("/api/v2/users/me"));
    const results = await Promise.all([...first, ...late]);
    expect(results.map((r) => r.response.status)).toEqual(Array(35).fill(200));
    expect(limited[0]).toMatchObject({ scope: "client", method: "GET", path: "/api/v2/users/me" });
    expect(limited[0].retryAfterMs).toBeGreaterThan(500);

    const arrivals = apiArrivals(sim);
    const first429 = arrivals.find((a) => a.status === 429)!;
    const pauseEnd = first429.t + limited[0].retryAfterMs;
    // The first wave (30 requests, sent before any answer) aside, nothing reached the server during the pause:
    // neither retries nor the calls started meanwhile (a margin for the loaded machine at the edge).
    const afterFirstWave = arrivals.slice(30);
    expect(afterFirstWave.filter((a) => a.t < pauseEnd - 50)).toEqual([]);
    // After it: paced, never a herd.
    expect(peakPerSlot(afterFirstWave)).toBeLessThanOrEqual(3);
    expect(gc.stats().pace).toBeGreaterThan(2);
  });

  it("paces by inin-ratelimit-* headers before any 429 happens", async () => {
    sim.configure({ rateLimit: { model: "fixed-window", limit: 40, windowSeconds: 1 } });
    const gc = simClient(sim, token);
    const results = await Promise.all(Array.from({ length: 60 }, () => gc.GET("/api/v2/users/me")));
    expect(results.every((r) => r.response.status === 200)).toBe(true);
    // The first window's quota is learned from the first answer: at most a probe gets a 429.
    expect(sim.stats().rateLimited).toBeLessThanOrEqual(2);
    expect(apiArrivals(sim).length).toBeLessThanOrEqual(62);
  });

  it("one limiter per route group with scope: route-group", async () => {
    sim.configure({ faults: [{ kind: "status", status: 429, retryAfter: 1, count: 1, route: "/api/v2/users/me" }] });
    const gc = simClient(sim, token, { resilience: { rateLimit: { scope: "route-group", useHeaders: false } } });
    const limited: GenesysEvents["rateLimited"][] = [];
    gc.on("rateLimited", (e) => void limited.push(e));
    const users = gc.GET("/api/v2/users/me");
    await sleep(200);
    // The users group is paused; conversations is not.
    const started = performance.now();
    const { response } = await gc.GET("/api/v2/conversations/messages");
    expect(response.status).toBe(200);
    expect(performance.now() - started).toBeLessThan(500);
    expect((await users).response.status).toBe(200);
    expect(limited.map((e) => e.scope)).toEqual(["users"]);
  });

  it("small goodput check: 200 calls against 100/s, burst 10 (loose bounds)", async () => {
    sim.configure({ rateLimit: { model: "token-bucket", capacity: 10, refillPerSecond: 100 } });
    const gc = simClient(sim, token);
    const started = performance.now();
    const results = await Promise.all(Array.from({ length: 200 }, () => gc.GET("/api/v2/users/me")));
    const elapsed = performance.now() - started;
    expect(results.every((r) => r.response.status === 200)).toBe(true);
    const arrivals = apiArrivals(sim);
    const share429 = arrivals.filter((a) => a.status === 429).length / arrivals.length;
    // Ideal (200 − 10) ÷ 100 = 1.9 s. Loose: this machine is shared; the benchmark measures it properly.
    expect(elapsed).toBeLessThan(1.9 * 2 * 1000);
    expect(share429).toBeLessThan(0.1);
  });
});
