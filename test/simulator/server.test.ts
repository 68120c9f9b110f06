// Server-wide behaviour: stats (concurrency, arrivals, reset), options validation, and a close() that
// leaves nothing behind.
import { spawn } from "node:child_process";
import { fileURLToPath } from "node:url";
import { afterEach, describe, expect, it } from "vitest";
import { ConfigurationError, startSimulator, type Simulator } from "../../src/simulator/index.js";
import { call, tokenRequest } from "./helpers.js";

let sims: Simulator[] = [];
afterEach(async () => {
  await Promise.all(sims.map((s) => s.close()));
  sims = [];
});

async function start(options: Parameters<typeof startSimulator>[0] = {}) {
  const sim = await startSimulator(options);
  sims.push(sim);
  return sim;
}

describe("stats", () => {
  it("measures requests in flight across concurrent slow requests, and records arrivals", async () => {
    const sim = await start({ latencyMs: 800, rateLimit: false });
    const token = sim.issueToken();
    const answers = await Promise.all(Array.from({ length: 5 }, () => call(sim, "/api/v2/users/me", token)));
    expect(answers.map((a) => a.status)).toEqual([200, 200, 200, 200, 200]);
    const stats = sim.stats();
    expect(stats.maxInFlight).toBe(5);
    expect(stats.inFlight).toBe(0);
    expect(stats.requests).toBe(5);
    expect(stats.arrivals).toHaveLength(5);
    for (const a of stats.arrivals) expect(a).toEqual({ t: expect.any(Number), method: "GET", route: "/api/v2/users/me", status: 200 });
    const times = stats.arrivals.map((a) => a.t);
    expect([...times].sort((x, y) => x - y)).toEqual(times);
    expect(times[0]).toBeGreaterThan(0);
  });

  it("counts by route and status, 429s and token requests; resetStats zeroes them", async () => {
    const sim = await start({ rateLimit: { model: "fixed-window", limit: 2, windowSeconds: 60 } });
    await tokenRequest(sim);
    const token = sim.issueToken();
    for (let i = 0; i < 3; i++) await call(sim, "/api/v2/users", token);
    await call(sim, "/api/v2/users/me");
    const stats = sim.stats();
    expect(stats).toMatchObject({
      requests: 5,
      byRoute: { "POST /oauth/token": { "200": 1 }, "GET /api/v2/users": { "200": 2, "429": 1 }, "GET /api/v2/users/me": { "401": 1 } },
      rateLimited: 1,
      tokenRequests: 1,
      inFlight: 0,
      maxInFlight: 1,
      executions: { flows: 0, actions: 0, duplicates: 0 },
    });
    expect(stats.arrivals.map((a) => `${a.method} ${a.route} ${a.status}`)).toEqual([
      "POST /oauth/token 200",
      "GET /api/v2/users 200",
      "GET /api/v2/users 200",
      "GET /api/v2/users 429",
      "GET /api/v2/users/me 401",
    ]);
    // Snapshots are copies.
    stats.arrivals.length = 0;
    expect(sim.stats().arrivals).toHaveLength(5);
    sim.resetStats();
    expect(sim.stats()).toEqual({
      requests: 0,
      byRoute: {},
      rateLimited: 0,
      tokenRequests: 0,
      inFlight: 0,
      maxInFlight: 0,
      arrivals: [],
      executions: { flows: 0, actions: 0, duplicates: 0 },
      jobs: [],
      notifications: {
        channels: 0,
        sockets: 0,
        socketsOpened: 0,
        channelsCreated: 0,
        published: 0,
        delivered: 0,
        heartbeats: 0,
        pings: 0,
        connections: [],
        subscriptions: {},
      },
    });
    // The rate limit state is not a statistic: the window still counts.
    expect((await call(sim, "/api/v2/users", token)).status).toBe(429);
  });
});

describe("options", () => {
  it.each([
    [{ rateLimit: { model: "fixed-window", limit: 0, windowSeconds: 60 } }, /rateLimit\.limit must be an integer from 1/],
    [{ rateLimit: { model: "token-bucket", capacity: 5, refillPerSecond: 0 } }, /rateLimit\.refillPerSecond must be a number > 0/],
    [{ rateLimit: { model: "leaky" } }, /rateLimit\.model must be "fixed-window" or "token-bucket"/],
    [{ clients: [] }, /clients must be a non-empty array/],
    [{ clients: [{ clientId: "a", clientSecret: "" }] }, /clients\[0\] must have a non-empty string clientId and clientSecret/],
    [{ tokenTtlSeconds: -1 }, /tokenTtlSeconds must be a number > 0/],
    [{ latencyMs: [50, 10] }, /latencyMs\[1\] must be an integer from 50/],
    [{ nextUriOrigin: "not a url" }, /nextUriOrigin must be an http\(s\) origin/],
    [{ users: 0 }, /users must be an integer from 1/],
    [{ colour: "blue" }, /Unknown simulator option "colour"/],
  ])("rejects %j with a ConfigurationError naming the option", async (options, message) => {
    const attempt = startSimulator(options as never);
    await expect(attempt).rejects.toBeInstanceOf(ConfigurationError);
    await expect(attempt).rejects.toThrow(message);
  });

  it("rejects bad run-time changes and keeps the old configuration", async () => {
    const sim = await start({ rateLimit: { model: "fixed-window", limit: 1, windowSeconds: 60 } });
    expect(() => sim.configure({ port: 1234 } as never)).toThrow(/port cannot change at run time/);
    expect(() => sim.configure({ tokenTtlSeconds: 0 })).toThrow(ConfigurationError);
    const token = sim.issueToken();
    await call(sim, "/api/v2/users/me", token);
    expect((await call(sim, "/api/v2/users/me", token)).status).toBe(429);
    sim.configure({ users: 3 });
    expect((await call(sim, "/api/v2/users", sim.issueToken())).body).toMatchObject({ total: 3 });
  });

  it("listens on 127.0.0.1 only, and names a busy port", async () => {
    const sim = await start();
    expect(sim.url).toBe(`http://127.0.0.1:${sim.port}`);
    await expect(startSimulator({ port: sim.port })).rejects.toThrow(`could not listen on 127.0.0.1:${sim.port}: EADDRINUSE`);
  });
});

describe("close()", () => {
  it("drops requests waiting on latency, refuses new connections, and is idempotent", async () => {
    const sim = await startSimulator({ latencyMs: 60_000 });
    const token = sim.issueToken();
    // Settled into a value at once, so the rejection during close() is never unhandled.
    const pending = fetch(`${sim.url}/api/v2/users/me`, { headers: { authorization: `Bearer ${token}` } }).then(
      () => "answered",
      () => "rejected",
    );
    for (let i = 0; i < 200 && sim.stats().inFlight === 0; i++) await new Promise((r) => setTimeout(r, 10));
    expect(sim.stats().inFlight).toBe(1);
    await Promise.all([sim.close(), sim.close()]);
    expect(await pending).toBe("rejected");
    expect(sim.stats().inFlight).toBe(0);
    expect(sim.stats().arrivals[0].status).toBe(0);
    await expect(fetch(`${sim.url}/api/v2/users/me`)).rejects.toThrow();
  });

  it("leaves no socket or timer behind: a process that closed its simulator exits by itself", async () => {
    const child = spawn(process.execPath, ["--import", "tsx", fileURLToPath(new URL("./fixtures/close-child.ts", import.meta.url))], {
      stdio: ["ignore", "pipe", "pipe"],
    });
    let stdout = "";
    let stderr = "";
    child.stdout.on("data", (c: Buffer) => (stdout += c.toString()));
    child.stderr.on("data", (c: Buffer) => (stderr += c.toString()));
    // A leaked 60 s latency timer or socket would keep the child alive far beyond this bound.
    const code = await new Promise<number | null>((resolve) => {
      const guard = setTimeout(() => {
        child.kill("SIGKILL");
        resolve(-1);
      }, 25_000);
      child.once("exit", (c) => {
        clearTimeout(guard);
        resolve(c);
      });
    });
    expect(code, stderr).toBe(0);
    expect(JSON.parse(stdout)).toEqual({
      inFlightBefore: 4,
      outcomes: ["rejected", "rejected", "rejected", "rejected"],
      inFlightAfter: 0,
      refused: "rejected",
    });
  });
});
