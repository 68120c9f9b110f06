// Redis is never a new way to fail: a real redis-server killed while calls run, started again, and never there.
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { createGenesysClient, type GenesysClient, type GenesysEvents } from "../../src/index.js";
import { createRedisCoordinator, type RedisCoordinator } from "../../src/redis/index.js";
import { startSimulator, type Simulator } from "../../src/simulator/index.js";
import { freePort, startRedisServer, type RedisServer } from "../support/redis-server.js";

const auth = { clientId: "sim-client", clientSecret: "sim-secret" };
let sim: Simulator;
let redis: RedisServer;
let coordinators: RedisCoordinator[] = [];

beforeAll(async () => {
  [sim, redis] = await Promise.all([startSimulator({ rateLimit: false, latencyMs: 2 }), startRedisServer()]);
});
afterAll(async () => {
  await sim.close();
  await redis.stop();
});
afterEach(async () => {
  await Promise.all(coordinators.map((c) => c.close()));
  coordinators = [];
  sim.resetStats();
});

interface Member {
  gc: GenesysClient;
  coordinator: RedisCoordinator;
  events: Array<"up" | "down">;
  next(kind: "up" | "down"): Promise<void>;
}

function member(url: string, prefix: string): Member {
  // A generous step timeout: the outages here are real (a killed server), a loaded machine must not add any.
  const coordinator = createRedisCoordinator({ url, keyPrefix: prefix, probeMs: 100, stepTimeoutMs: 2_000 });
  coordinators.push(coordinator);
  const gc = createGenesysClient({ baseUrl: sim.url, auth, coordinator, resilience: { rateLimit: { requestsPerSecond: 2_000, burst: 50 } } });
  const events: Array<"up" | "down"> = [];
  const waiting = new Set<{ kind: "up" | "down"; resolve: () => void }>();
  const record = (kind: "up" | "down") => {
    events.push(kind);
    for (const w of waiting) if (w.kind === kind) waiting.delete(w), w.resolve();
  };
  gc.on("coordinatorUp", () => record("up"));
  gc.on("coordinatorDown", (_: GenesysEvents["coordinatorDown"]) => record("down"));
  return { gc, coordinator, events, next: (kind) => new Promise((resolve) => waiting.add({ kind, resolve })) };
}

const statuses = async (gc: GenesysClient, n: number) =>
  (await Promise.all(Array.from({ length: n }, () => gc.GET("/api/v2/users/me")))).map((r) => r.response.status);

describe("Redis outages", () => {
  it("Redis killed while calls run: every call succeeds, each client says so once; Redis back: they rejoin", async () => {
    const [a, b] = [member(redis.url, "o1:"), member(redis.url, "o1:")];
    expect([...(await statuses(a.gc, 5)), ...(await statuses(b.gc, 5))]).toEqual(Array(10).fill(200));
    expect(sim.stats().tokenRequests).toBe(1);

    const running = Promise.all([statuses(a.gc, 300), statuses(b.gc, 300)]);
    const down = Promise.all([a.next("down"), b.next("down")]);
    await redis.kill();
    await down;
    const during = await Promise.all([statuses(a.gc, 50), statuses(b.gc, 50)]);
    expect([...(await running).flat(), ...during.flat()]).toEqual(Array(700).fill(200));
    expect(sim.stats().tokenRequests).toBe(1); // each kept its token
    expect([a.coordinator.state, b.coordinator.state]).toEqual(["down", "down"]);

    const up = Promise.all([a.next("up"), b.next("up")]);
    await redis.start();
    await up;
    expect([a.coordinator.state, b.coordinator.state]).toEqual(["up", "up"]);
    expect(a.events).toEqual(["up", "down", "up"]);
    expect(b.events).toEqual(["up", "down", "up"]);
    // Sharing again: the restarted Redis is empty, so a new member asks once and stores the token for the next.
    const c = member(redis.url, "o1:");
    const d = member(redis.url, "o1:");
    expect(await statuses(c.gc, 3)).toEqual([200, 200, 200]);
    expect(await statuses(d.gc, 3)).toEqual([200, 200, 200]);
    expect(sim.stats().tokenRequests).toBe(2);
  });

  it("Redis never there: calls succeed alone, with one coordinatorDown and no retry storm", async () => {
    const nobody = `redis://127.0.0.1:${await freePort()}`;
    const m = member(nobody, "o2:");
    const down = m.next("down");
    expect(await statuses(m.gc, 20)).toEqual(Array(20).fill(200));
    await down;
    expect(await statuses(m.gc, 20)).toEqual(Array(20).fill(200));
    expect(m.events).toEqual(["down"]);
    expect(sim.stats().tokenRequests).toBe(1);
  });
});
