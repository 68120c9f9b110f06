// The pace learned from 429s alone over real HTTP, against a simulator that sends no inin-ratelimit-* headers (as
// Genesys since 2021). Loose bounds only: the real target is measured by `bench/goodput-quick.ts --no-headers`.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Simulator } from "../../src/simulator/index.js";
import { apiArrivals, simClient, startSim } from "../support/sim-client.js";

let sim: Simulator;
let token: string;
beforeAll(async () => ({ sim, token } = await startSim({ rateLimit: { model: "token-bucket", capacity: 10, refillPerSecond: 100 }, rateLimitHeaders: false })));
afterAll(() => sim.close());

describe("pace learned without quota headers", () => {
  it("300 calls against a token bucket of 100/s, burst 10: all succeed, few 429s, under 3 × the floor", async () => {
    const gc = simClient(sim, token);
    const started = performance.now();
    const results = await Promise.all(Array.from({ length: 300 }, () => gc.GET("/api/v2/users/me")));
    const elapsed = performance.now() - started;
    expect(results.map((r) => r.response.status)).toEqual(Array(300).fill(200));
    expect(results[0].response.headers.get("inin-ratelimit-allowed")).toBeNull();
    const arrivals = apiArrivals(sim);
    const limited = arrivals.filter((a) => a.status === 429).length;
    expect(limited).toBeGreaterThan(0); // it had to learn from 429s
    expect(limited / arrivals.length).toBeLessThan(0.1);
    // Floor: (300 − 10) ÷ 100/s = 2.9 s; learning costs two 1 s pauses and a slow start (~5.5 s here), and the
    // machine may be loaded: a loose bound.
    expect(elapsed).toBeLessThan(3 * 2_900);
    // The learned pace ends near the true rate, from below (timers only make the real pace slower).
    expect(gc.stats().pace).toBeGreaterThan(60);
    expect(gc.stats().pace).toBeLessThan(130);
  });
});
