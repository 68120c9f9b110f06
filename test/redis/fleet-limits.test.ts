// What the fleet's rate limiters share through a real redis-server: the Lua GCRA, a pause and a learned limit one
// member meets pacing the others (also a member that joins later), and a fleet-wide requestsPerSecond.
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { createGenesysClient, RetryBudgetExceededError, type GenesysClient, type GenesysClientOptions, type GenesysEvents } from "../../src/index.js";
import { createRedisCoordinator, type RedisCoordinator } from "../../src/redis/index.js";
import { startSimulator, type Simulator } from "../../src/simulator/index.js";
import { startRedisServer, type RedisServer } from "../support/redis-server.js";

const auth = { clientId: "sim-client", clientSecret: "sim-secret" };
let sim: Simulator;
let redis: RedisServer;
let coordinators: RedisCoordinator[] = [];
let prefix = "";
let run = 0;

beforeAll(async () => {
  [sim, redis] = await Promise.all([startSimulator({ rateLimit: false }), startRedisServer()]);
});
afterAll(async () => {
  await sim.close();
  await redis.stop();
});
beforeEach(() => {
  sim.configure({ rateLimit: false, limits: [], faults: [] });
  sim.resetStats();
  prefix = `l${++run}:`;
});
afterEach(async () => {
  await Promise.all(coordinators.map((c) => c.close()));
  coordinators = [];
});

function coordinator(): RedisCoordinator {
  // Generous timeouts: these tests are about sharing; a loaded machine must not make a member go alone.
  const c = createRedisCoordinator({ url: redis.url, keyPrefix: prefix, stepTimeoutMs: 2_000 });
  coordinators.push(c);
  return c;
}
function member(options: { resilience?: { retry?: false; rateLimit?: { requestsPerSecond: number; burst: number } } } = {}): GenesysClient {
  const { retry, rateLimit } = options.resilience ?? {};
  const resilience: GenesysClientOptions["resilience"] = { rateLimit: { sharingTimeoutMs: 2_000, ...rateLimit }, ...(retry === false ? { retry: false } : {}) };
  return createGenesysClient({ baseUrl: sim.url, auth, coordinator: coordinator(), resilience });
}
const apiCalls = () => sim.stats().arrivals.filter((a) => a.route.startsWith("/api/v2/")).length;

describe("rate limits shared through Redis", () => {
  it("the Lua GCRA spaces the fleet's requests by 1/rate after the burst, across members", async () => {
    const fleet = { clientId: "gcra-test", apiOrigin: "https://api.example.test" };
    const [a, b] = [coordinator().attach(fleet).limits, coordinator().attach(fleet).limits];
    const waits: number[] = [];
    // 0.1 per second: a 10 s interval, far longer than these six steps take on any machine.
    for (let i = 0; i < 6; i++) waits.push(await (i % 2 ? a : b).take("k", 0.1, 3));
    expect(waits.slice(0, 3)).toEqual([0, 0, 0]);
    waits.slice(3).forEach((w, i) => {
      expect(w).toBeGreaterThan((i + 1) * 10_000 - 5_000);
      expect(w).toBeLessThanOrEqual((i + 1) * 10_000);
    });
    // Another key, another limit.
    expect(await a.take("other", 0.1, 1)).toBe(0);
  });

  it("a window limit one member meets pauses the others, and a member that joins later learns it too", async () => {
    sim.configure({ limits: [{ per: "client", limit: { model: "fixed-window", limit: 5, windowSeconds: 60 } }] });
    const a = member({ resilience: { retry: false } });
    const b = member();
    const paused: GenesysEvents["rateLimitPause"][] = [];
    b.on("rateLimitPause", (e) => paused.push(e));
    const bLearned = new Promise<void>((resolve) => b.on("rateLimitLearned", (l) => l.source === "shared" && resolve()));
    const results = await Promise.all(Array.from({ length: 8 }, () => a.GET("/api/v2/users/me")));
    expect(results.filter((r) => r.response.status === 429).length).toBeGreaterThan(0);
    await bLearned;
    expect(b.stats().rateLimits).toContainEqual(expect.objectContaining({ kind: "window", countPerWindow: 5, windowMs: 60_000, source: "shared" }));
    // b itself has sent nothing, yet it waits for the window's end: a call that cannot wait ends at once, unsent.
    const before = apiCalls();
    const { error } = await b.GET("/api/v2/users/me", { resilience: { deadlineMs: 1_000 } }).then(
      (r) => ({ error: r.error as unknown }),
      (e: unknown) => ({ error: e }),
    );
    expect(error).toBeInstanceOf(RetryBudgetExceededError);
    expect(apiCalls()).toBe(before);
    expect(paused.some((p) => p.reason === "shared" && p.until > Date.now())).toBe(true);

    // Joining later: the pause and the limit are read back from Redis.
    const c = member();
    await new Promise<void>((resolve) => c.on("rateLimitLearned", (l) => l.source === "shared" && resolve()));
    expect(c.stats().pausedUntil).toBeGreaterThan(Date.now());
  });

  it("requestsPerSecond is the fleet's: two members together stay within it (the shared GCRA spaces their turns)", async () => {
    const options = { resilience: { rateLimit: { requestsPerSecond: 5, burst: 1 } } };
    const [a, b] = [member(options), member(options)];
    await Promise.all([a.GET("/api/v2/users/me"), b.GET("/api/v2/users/me")]); // tokens, first contact
    sim.resetStats();
    await Promise.all([a, b].flatMap((gc) => Array.from({ length: 3 }, () => gc.GET("/api/v2/users/me"))));
    const t = sim
      .stats()
      .arrivals.filter((x) => x.route.startsWith("/api/v2/"))
      .map((x) => x.t)
      .sort((x, y) => x - y);
    expect(t).toHaveLength(6);
    // 6 requests at 5/s for the fleet: 5 intervals of 200 ms. Each member alone would send its 3 within 400 ms.
    expect(t[5] - t[0]).toBeGreaterThan(600);
    expect(sim.stats().tokenRequests).toBe(0); // the token came from the first round
  });

  it("a client with a fixed access token shares the limiter part only", async () => {
    const token = sim.issueToken();
    const c = coordinator();
    const gc = createGenesysClient({ baseUrl: sim.url, auth: { accessToken: token }, coordinator: c });
    const up = new Promise<void>((resolve) => gc.on("coordinatorUp", () => resolve()));
    expect((await gc.GET("/api/v2/users/me")).response.status).toBe(200);
    await up;
    expect(c.attach({ clientId: undefined, apiOrigin: sim.url }).tokens).toBeUndefined();
  });
});
