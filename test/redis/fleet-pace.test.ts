// The fleet's learned pace on a real redis-server: the Lua state machine's turns and cuts (its JS twin is
// fleet-pace.ts, tested in simulated time in test/resilience/fleet-pace.test.ts), and members that state no limit
// learning a bucket together through it.
import { Redis } from "ioredis";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { createGenesysClient, type GenesysClient } from "../../src/index.js";
import { createRedisCoordinator, type RedisCoordinator } from "../../src/redis/index.js";
import { INITIAL_RATE, OPENING_SHARE } from "../../src/resilience/rate-limit/fleet-pace.js";
import type { LimitSharing, TurnReport } from "../../src/resilience/rate-limit/types.js";
import { startSimulator, type Simulator } from "../../src/simulator/index.js";
import { startRedisServer, type RedisServer } from "../support/redis-server.js";

let sim: Simulator;
let redis: RedisServer;
let coordinators: RedisCoordinator[] = [];
let run = 0;

beforeAll(async () => {
  [sim, redis] = await Promise.all([startSimulator({ rateLimit: false, rateLimitHeaders: false }), startRedisServer()]);
});
afterAll(async () => {
  await sim.close();
  await redis.stop();
});
afterEach(async () => {
  await Promise.all(coordinators.map((c) => c.close()));
  coordinators = [];
});

function coordinator(prefix: string): RedisCoordinator {
  // Generous timeouts: these tests are about sharing; a loaded machine must not make a member go alone.
  const c = createRedisCoordinator({ url: redis.url, keyPrefix: prefix, stepTimeoutMs: 2_000 });
  coordinators.push(c);
  return c;
}
const report = (over: Partial<TurnReport> = {}): TurnReport => ({ openingOk: 0, generation: 0, ok: 0, rttMs: 0, maxWaitMs: Number.POSITIVE_INFINITY, ...over });

describe("the fleet's learned pace on Redis", () => {
  it("turns are paced from the initial rate; a cut of the current generation makes a new one, its echoes change nothing", async () => {
    const prefix = `p${++run}:`;
    const fleet = { clientId: "pace-test", apiOrigin: "https://api.example.test" };
    const [a, b] = [coordinator(prefix).attach(fleet).limits, coordinator(prefix).attach(fleet).limits] as Required<LimitSharing>[];
    const first = await a.turn("k", report());
    expect(first).toEqual({ waitMs: 0, generation: 0, paced: true, reserved: true });
    // A turn that may not wait reserves nothing once the burst (2) is used; one that may, waits about 1/rate per turn ahead.
    await b.turn("k", report());
    const refused = await a.turn("k", report({ maxWaitMs: 0 }));
    expect(refused).toMatchObject({ paced: true, reserved: false });
    expect(refused.waitMs).toBeGreaterThan(0);
    const queued = await b.turn("k", report());
    expect(queued.reserved).toBe(true);
    expect(queued.waitMs).toBeLessThanOrEqual(1000 / INITIAL_RATE + 1);
    // A 429 of generation 0 cuts; another 429 of generation 0 (an echo) does not cut again.
    await a.limited("k", 0);
    await b.limited("k", 0);
    // Until the requests reserved before the cut have gone, turns get the echo generation (odd).
    expect((await a.turn("k", report())).generation).toBe(1);
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect((await b.turn("k", report())).generation).toBe(2);
    // Another key, another pace.
    expect(await a.turn("other", report())).toMatchObject({ generation: 0, reserved: true });
  });

  it("the first cut paces the fleet at a share of the opening's estimate, as fleet-pace.ts does", async () => {
    const prefix = `p${++run}:`;
    const a = coordinator(prefix).attach({ clientId: "pace-test", apiOrigin: "https://api.example.test" }).limits as Required<LimitSharing>;
    await a.turn("k", report());
    await new Promise((resolve) => setTimeout(resolve, 250));
    await a.turn("k", report({ openingOk: 5 }));
    await a.limited("k", 0);
    const raw = new Redis(redis.url);
    try {
      const keys = await raw.keys(`${prefix}*pace:k`);
      expect(keys).toHaveLength(1);
      const [known, base] = (await raw.hmget(keys[0]!, "k", "b")).map(Number);
      expect(known).toBeGreaterThan(0);
      expect(base).toBeCloseTo(known! * OPENING_SHARE, 2);
    } finally {
      raw.disconnect();
    }
  });

  it("members that state no limit learn a shared bucket together: no failed call, few 429s, one token", async () => {
    sim.configure({
      rateLimit: false,
      rateLimitHeaders: false,
      limits: [{ per: "client", limit: { model: "token-bucket", capacity: 10, refillPerSecond: 100 } }],
      faults: [],
    });
    sim.resetStats();
    const prefix = `p${++run}:`;
    const members: GenesysClient[] = Array.from({ length: 4 }, () =>
      createGenesysClient({
        baseUrl: sim.url,
        auth: { clientId: "sim-client", clientSecret: "sim-secret" },
        coordinator: coordinator(prefix),
        resilience: { bulkhead: { maxConcurrent: 50 }, rateLimit: { sharingTimeoutMs: 2_000 } },
      }),
    );
    let failed = 0;
    await Promise.all(
      members.flatMap((gc) =>
        Array.from({ length: 100 }, async () => {
          const { response } = await gc.GET("/api/v2/users/me");
          if (!response.ok) failed++;
        }),
      ),
    );
    const answers = Object.entries(sim.stats().byRoute).filter(([route]) => route.includes("/api/v2/"));
    const attempts = answers.reduce((n, [, byStatus]) => n + Object.values(byStatus).reduce((x, y) => x + y, 0), 0);
    const limited = answers.reduce((n, [, byStatus]) => n + (byStatus["429"] ?? 0), 0);
    expect(failed).toBe(0);
    expect(attempts).toBeGreaterThanOrEqual(400);
    expect(limited / attempts).toBeLessThan(0.1); // each member learning its own share: 23–32 %
    expect(sim.stats().tokenRequests).toBe(1);
  });
});
