// Retries over real HTTP against the simulator: what is retried, how waits spread, when retrying stops,
// per-call overrides and a custom cockatiel policy. Identical replays are checked against tiny-server (it keeps bodies).
import { ConstantBackoff, handleWhenResult, retry } from "cockatiel";
import { describe, expect, it } from "vitest";
import { GenesysApiError, RetryBudgetExceededError, type GenesysEvents } from "../../src/index.js";
import type { Simulator } from "../../src/simulator/index.js";
import { apiArrivals, peakPerSlot, simClient, sleep, useSharedSim } from "../support/sim-client.js";
import { json, startTinyServer } from "../support/tiny-server.js";

let sim: Simulator;
let token: string;
useSharedSim((shared) => ({ sim, token } = shared));

const flowBody = (i: number) => ({ body: { flowId: `flow-${i}`, inputData: { n: String(i) } } });
const fast = { retry: { baseDelayMs: 5, maxDelayMs: 20 } };

describe("429", () => {
  it("is retried after Retry-After plus jitter: callers throttled together come back spread out", async () => {
    sim.configure({ faults: [{ kind: "status", status: 429, retryAfter: 1, count: 20, route: "/api/v2/users/me" }] });
    // The shared rate limiter is off here so that the spread comes from the jitter alone (0–500 ms).
    const gc = simClient(sim, token, { resilience: { rateLimit: false, retry: { retryAfterJitterMs: 500 } } });
    const retries: GenesysEvents["retry"][] = [];
    gc.on("retry", (e) => void retries.push(e));
    const results = await Promise.all(Array.from({ length: 20 }, () => gc.GET("/api/v2/users/me")));
    expect(results.map((r) => r.response.status)).toEqual(Array(20).fill(200));
    expect(retries).toHaveLength(20);
    for (const e of retries) expect(e).toMatchObject({ attempt: 1, reason: "rate-limited", status: 429, method: "GET", path: "/api/v2/users/me" });
    for (const e of retries) expect(e.delayMs).toBeGreaterThanOrEqual(1000);
    expect(new Set(retries.map((e) => e.delayMs)).size).toBeGreaterThan(10);

    const arrivals = apiArrivals(sim);
    const firstWave = arrivals.filter((a) => a.status === 429);
    const secondWave = arrivals.filter((a) => a.status === 200);
    expect(firstWave).toHaveLength(20);
    expect(secondWave).toHaveLength(20);
    expect(secondWave[0].t - firstWave[0].t).toBeGreaterThanOrEqual(950);
    // In lockstep all 20 would land within a few ms; with 0–500 ms of jitter they spread over hundreds.
    expect(secondWave.at(-1)!.t - secondWave[0].t).toBeGreaterThan(150);
    expect(peakPerSlot(secondWave)).toBeLessThanOrEqual(6);
  });

  it("is retried for a POST too (the request was not processed)", async () => {
    sim.configure({ faults: [{ kind: "status", status: 429, retryAfter: 1, count: 1, route: "/api/v2/flows/executions" }] });
    const gc = simClient(sim, token);
    const { data, error } = await gc.POST("/api/v2/flows/executions", flowBody(1));
    expect(error).toBeUndefined();
    expect(data?.id).toBeTypeOf("string");
    expect(sim.stats().executions).toMatchObject({ flows: 1, duplicates: 0 });
  });

  it("with a Retry-After above maxRetryAfterMs ends the call at once with a clear error", async () => {
    sim.configure({ faults: [{ kind: "status", status: 429, retryAfter: 3600, route: "/api/v2/users/me" }] });
    const gc = simClient(sim, token);
    const giveUps: GenesysEvents["giveUp"][] = [];
    gc.on("giveUp", (e) => void giveUps.push(e));
    const error = await gc.GET("/api/v2/users/me").catch((e: unknown) => e);
    expect(error).toBeInstanceOf(RetryBudgetExceededError);
    expect(error).toMatchObject({ reason: "retry-after-too-long", attempts: 1, lastStatus: 429 });
    expect((error as Error).message).toMatch(
      /GET \/api\/v2\/users\/me gave up after 1 attempt\(s\): the server asked to retry after 3600 s \(429\), more than maxRetryAfterMs \(90000 ms\)/,
    );
    expect(giveUps).toEqual([{ reason: "retry-after-too-long", attempts: 1, status: 429, method: "GET", path: "/api/v2/users/me" }]);
    expect(apiArrivals(sim)).toHaveLength(1);
  });
});

describe("5xx on a POST", () => {
  it("is not retried without idempotent: true — the caller gets the 503, nothing is executed twice", async () => {
    sim.configure({ faults: [{ kind: "status", status: 503, route: "/api/v2/flows/executions" }] });
    const gc = simClient(sim, token, { resilience: fast });
    const { error, response } = await gc.POST("/api/v2/flows/executions", flowBody(2));
    expect(response.status).toBe(503);
    expect(error).toBeInstanceOf(GenesysApiError);
    expect(apiArrivals(sim)).toHaveLength(1);
  });

  it("'processed, then 503' is not repeated: 0 duplicate executions", async () => {
    sim.configure({ faults: [{ kind: "processed-then-503", route: "/api/v2/flows/executions" }] });
    const gc = simClient(sim, token, { resilience: fast });
    const results = await Promise.all([3, 4, 5].map((i) => gc.POST("/api/v2/flows/executions", flowBody(i))));
    expect(results.map((r) => r.response.status)).toEqual([503, 503, 503]);
    expect(sim.stats().executions).toMatchObject({ flows: 3, duplicates: 0 });
    expect(apiArrivals(sim)).toHaveLength(3);
  });

  it("is retried when the call says idempotent: true", async () => {
    sim.configure({ faults: [{ kind: "status", status: 503, count: 2, route: "/api/v2/flows/executions" }] });
    const gc = simClient(sim, token, { resilience: fast });
    const { data, response } = await gc.POST("/api/v2/flows/executions", { ...flowBody(6), resilience: { idempotent: true } });
    expect(response.status).toBe(200);
    expect(data?.id).toBeTypeOf("string");
    expect(apiArrivals(sim).map((a) => a.status)).toEqual([503, 503, 200]);
    expect(sim.stats().executions).toMatchObject({ flows: 1, duplicates: 0 });
  });

  it("a GET is retried on 502/503/504 but not on 500 unless retryOn500", async () => {
    sim.configure({
      faults: [
        { kind: "status", status: 502, count: 1 },
        { kind: "status", status: 504, count: 1 },
      ],
    });
    const gc = simClient(sim, token, { resilience: fast });
    expect((await gc.GET("/api/v2/users/me")).response.status).toBe(200);
    expect(apiArrivals(sim).map((a) => a.status)).toEqual([502, 504, 200]);

    sim.configure({ faults: [{ kind: "status", status: 500, count: 1 }] });
    sim.resetStats();
    expect((await gc.GET("/api/v2/users/me")).response.status).toBe(500);
    sim.configure({ faults: [{ kind: "status", status: 500, count: 1 }] });
    expect((await gc.GET("/api/v2/users/me", { resilience: { retry: { retryOn500: true, baseDelayMs: 5 } } })).response.status).toBe(200);
    expect(apiArrivals(sim).map((a) => a.status)).toEqual([500, 500, 200]);
  });
});

describe("bounds and overrides", () => {
  it("past maxAttempts the caller gets the last response, and a giveUp event says why", async () => {
    sim.configure({ faults: [{ kind: "status", status: 503, route: "/api/v2/users/me" }] });
    const gc = simClient(sim, token, { resilience: { ...fast, retry: { ...fast.retry, maxAttempts: 3 } } });
    const giveUps: GenesysEvents["giveUp"][] = [];
    gc.on("giveUp", (e) => void giveUps.push(e));
    const { error } = await gc.GET("/api/v2/users/me");
    expect(error?.status).toBe(503);
    expect(apiArrivals(sim)).toHaveLength(3);
    expect(giveUps).toEqual([{ reason: "max-attempts", attempts: 3, status: 503, method: "GET", path: "/api/v2/users/me" }]);
    expect(gc.stats().retries).toBe(2);
  });

  it("past the retry budget the call ends without starting the wait", async () => {
    sim.configure({ faults: [{ kind: "status", status: 503, retryAfter: 2, route: "/api/v2/users/me" }] });
    const gc = simClient(sim, token, { resilience: { retry: { budgetMs: 1_000 } } });
    const { error } = await gc.GET("/api/v2/users/me");
    expect(error?.status).toBe(503);
    expect(apiArrivals(sim)).toHaveLength(1);
  });

  it("per call: retry: false and maxAttempts take effect", async () => {
    sim.configure({ faults: [{ kind: "status", status: 503, route: "/api/v2/users/me" }] });
    const gc = simClient(sim, token, { resilience: fast });
    expect((await gc.GET("/api/v2/users/me", { resilience: { retry: false } })).response.status).toBe(503);
    expect(apiArrivals(sim)).toHaveLength(1);
    sim.resetStats();
    expect((await gc.GET("/api/v2/users/me", { resilience: { maxAttempts: 2 } })).response.status).toBe(503);
    expect(apiArrivals(sim)).toHaveLength(2);
  });

  it("per call: a cockatiel policy replaces the pipeline", async () => {
    sim.configure({ faults: [{ kind: "status", status: 503, count: 3, route: "/api/v2/users/me" }] });
    const gc = simClient(sim, token, { resilience: { retry: false } });
    const seen: number[] = [];
    const policy = retry(
      handleWhenResult((r) => {
        seen.push((r as Response).status);
        return (r as Response).status === 503;
      }),
      { maxAttempts: 3, backoff: new ConstantBackoff(5) },
    );
    const { data, response } = await gc.GET("/api/v2/users/me", { resilience: { policy } });
    expect(response.status).toBe(200);
    expect(data?.id).toBeTypeOf("string");
    expect(seen).toEqual([503, 503, 503, 200]);
    expect(apiArrivals(sim).map((a) => a.status)).toEqual([503, 503, 503, 200]);
  });

  it("resilience: false sends every call once, as is", async () => {
    sim.configure({ faults: [{ kind: "status", status: 503, count: 1 }] });
    const gc = simClient(sim, token, { resilience: false });
    expect((await gc.GET("/api/v2/users/me")).response.status).toBe(503);
    expect(apiArrivals(sim)).toHaveLength(1);
    expect(gc.stats()).toMatchObject({ retries: 0, rateLimited: 0, breakers: {}, pace: undefined });
  });
});

describe("replays", () => {
  it("free the connection of every answer they retry (its body is read or cancelled)", async () => {
    let answered = 0;
    const big = { message: "busy", code: "service.unavailable", status: 503, details: ["x".repeat(256 * 1024)] };
    const server = await startTinyServer((_req, res) => (++answered <= 4 ? json(res, 503, big) : json(res, 200, { id: "x" })));
    try {
      const gc = simClient({ url: server.url } as Simulator, "tok-1", { resilience: fast });
      for (let i = 0; i < 3; i++) {
        await gc.GET("/api/v2/users/me", { resilience: { maxAttempts: 2 } });
        await sleep(20); // undici puts a socket back in its pool a moment after the body ends
      }
      expect(server.requests).toHaveLength(5);
      // Five requests, one after the other, over one kept-alive connection: nothing was left unread.
      expect(server.connections()).toBe(1);
    } finally {
      await server.close();
    }
  });

  it("send the same method, URL, headers and body bytes on every attempt", async () => {
    let answered = 0;
    const server = await startTinyServer((_req, res) =>
      ++answered < 3 ? json(res, 503, { message: "busy", code: "service.unavailable", status: 503 }) : json(res, 200, { id: "x" }),
    );
    try {
      const gc = simClient({ url: server.url } as Simulator, "tok-1", { resilience: fast, headers: { "x-app": "replay" } });
      const body = { flowId: "flow-ü", inputData: { text: "naïve ✓".repeat(1000) } };
      const { response } = await gc.POST("/api/v2/flows/executions", { body, resilience: { idempotent: true } });
      expect(response.status).toBe(200);
      expect(server.requests).toHaveLength(3);
      for (const r of server.requests) {
        expect(r.method).toBe("POST");
        expect(r.url).toBe("/api/v2/flows/executions");
        expect(r.headers["x-app"]).toBe("replay");
        expect(r.headers.authorization).toBe("Bearer tok-1");
        expect(r.headers["content-type"]).toBe("application/json");
        expect(JSON.parse(r.body)).toEqual(body);
      }
      expect(new Set(server.requests.map((r) => r.body)).size).toBe(1);
    } finally {
      await server.close();
    }
  });
});
