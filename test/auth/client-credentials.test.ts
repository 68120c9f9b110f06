// Client credentials against the simulator over real HTTP: lazy, cached, single flight, proactive refresh, 401 replay.
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { createGenesysClient, type GenesysEvents } from "../../src/index.js";
import { startSimulator } from "../../src/simulator/index.js";
import type { Simulator } from "../../src/simulator/types.js";

const auth = { clientId: "sim-client", clientSecret: "sim-secret" };
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

let sim: Simulator;
beforeAll(async () => {
  sim = await startSimulator({ rateLimit: false });
});
afterAll(() => sim.close());
afterEach(() => {
  sim.configure({ faults: [], tokenTtlSeconds: 86_400, latencyMs: 0 });
  sim.resetStats();
});

describe("client credentials", () => {
  it("fetches lazily: creating a client sends nothing", async () => {
    createGenesysClient({ baseUrl: sim.url, auth });
    await sleep(50);
    expect(sim.stats().tokenRequests).toBe(0);
  });

  it("1,000 concurrent calls share exactly one token request", async () => {
    const gc = createGenesysClient({ baseUrl: sim.url, auth });
    const results = await Promise.all(Array.from({ length: 1000 }, () => gc.GET("/api/v2/users/me")));
    expect(results.filter((r) => r.response.status === 200)).toHaveLength(1000);
    expect(sim.stats().tokenRequests).toBe(1);
    // Cached afterwards.
    await gc.GET("/api/v2/users/me");
    expect(sim.stats().tokenRequests).toBe(1);
  });

  it("renews before expiry in the background, without making callers wait", async () => {
    // TTL 6 s → skew capped at half the lifetime (3 s): renewal starts once 3 s have passed.
    sim.configure({ tokenTtlSeconds: 6 });
    const gc = createGenesysClient({ baseUrl: sim.url, auth });
    const tokenEvents: GenesysEvents["tokenRequest"][] = [];
    gc.on("tokenRequest", (e) => tokenEvents.push(e));
    const started = Date.now();
    expect((await gc.GET("/api/v2/users/me")).response.status).toBe(200);
    expect(sim.stats().tokenRequests).toBe(1);

    await sleep(3300);
    // The token endpoint now answers slowly: a caller that waited for the renewal would take ≥ 2 s.
    sim.configure({ faults: [{ kind: "latency", route: "/oauth/token", latencyMs: 2000 }] });
    const inWindow = await gc.GET("/api/v2/users/me");
    expect(inWindow.response.status).toBe(200);
    expect(tokenEvents).toHaveLength(1); // answered with the old token while the renewal is still running

    for (let i = 0; i < 100 && tokenEvents.length < 2; i++) await sleep(50);
    expect(tokenEvents.map((e) => e.ok)).toEqual([true, true]);
    sim.configure({ faults: [] });
    await sleep(Math.max(0, 6300 - (Date.now() - started)));
    // Past the first token's expiry: the renewed token is used, nothing is refused.
    expect((await gc.GET("/api/v2/users/me")).response.status).toBe(200);
    expect(sim.stats().tokenRequests).toBe(2);
    expect(sim.stats().byRoute["GET /api/v2/users/me"]?.["401"]).toBeUndefined();
  }, 20_000);

  it("a 401 (token revoked) renews once and replays the call", async () => {
    const revoking = await startSimulator({ rateLimit: false });
    const port = revoking.port;
    const gc = createGenesysClient({ baseUrl: revoking.url, auth });
    const refreshed: GenesysEvents["tokenRefreshOn401"][] = [];
    gc.on("tokenRefreshOn401", (e) => refreshed.push(e));
    expect((await gc.GET("/api/v2/users/me")).response.status).toBe(200);
    // A new simulator on the same port forgets every token it issued: the cached one now gets 401.
    await revoking.close();
    const fresh = await startSimulator({ rateLimit: false, port });
    try {
      const results = await Promise.all(Array.from({ length: 20 }, () => gc.GET("/api/v2/users/me")));
      expect(results.map((r) => r.response.status)).toEqual(Array(20).fill(200));
      const stats = fresh.stats();
      expect(stats.tokenRequests).toBe(1); // 20 concurrent 401s for the same stale token → one renewal
      const byStatus = stats.byRoute["GET /api/v2/users/me"];
      expect(byStatus["200"]).toBe(20);
      // Calls sent after the renewal already carry the new token: between 1 and 20 saw the 401.
      expect(byStatus["401"]).toBeGreaterThanOrEqual(1);
      expect(byStatus["401"]).toBeLessThanOrEqual(20);
      expect(refreshed).toHaveLength(byStatus["401"]);
    } finally {
      await fresh.close();
    }
  });

  it("wrong credentials: AuthError with the OAuth code, no retry, and the API call is not sent", async () => {
    const gc = createGenesysClient({ baseUrl: sim.url, auth: { clientId: "sim-client", clientSecret: "wrong" } });
    const error = await gc.GET("/api/v2/users/me").catch((e: unknown) => e);
    expect(error).toMatchObject({ name: "AuthError", status: 401, code: "invalid_client" });
    expect(String(error)).toMatch(/Token request to http:\/\/127\.0\.0\.1:\d+\/oauth\/token failed with 401 invalid_client: Client authentication failed/);
    expect(sim.stats().tokenRequests).toBe(1);
    expect(sim.stats().byRoute["GET /api/v2/users/me"]).toBeUndefined();
  });
});
