// Per-token rate limits, both models: exact headers, exact Retry-After, Genesys's 429 body.
import { afterEach, describe, expect, it } from "vitest";
import { startSimulator, type Simulator } from "../../src/simulator/index.js";
import { call, expectGenesysError, sleep, type Answer } from "./helpers.js";

let sim: Simulator | undefined;
afterEach(async () => {
  await sim?.close();
  sim = undefined;
});

const limitHeaders = (a: Answer) => [a.headers.get("inin-ratelimit-allowed"), a.headers.get("inin-ratelimit-count"), a.headers.get("inin-ratelimit-reset")];

describe("fixed window", () => {
  it("counts per token and answers 429 with the window's remaining whole seconds", async () => {
    sim = await startSimulator({ rateLimit: { model: "fixed-window", limit: 3, windowSeconds: 60 } });
    const token = sim.issueToken();
    const ok = [];
    for (let i = 0; i < 3; i++) ok.push(await call(sim, "/api/v2/users/me", token));
    expect(ok.map((a) => a.status)).toEqual([200, 200, 200]);
    expect(ok.map(limitHeaders)).toEqual([
      ["3", "1", "60"],
      ["3", "2", "60"],
      ["3", "3", "60"],
    ]);

    const limited = await call(sim, "/api/v2/users", token);
    expectGenesysError(limited, 429, "too.many.requests.retry.after");
    expect(limited.headers.get("retry-after")).toBe("60");
    expect(limited.body.message).toBe("Rate limit exceeded the maximum. Retry the request in [60] seconds");
    expect(limitHeaders(limited)).toEqual(["3", "3", "60"]);
    // Another token has its own window.
    const other = await call(sim, "/api/v2/users/me", sim.issueToken());
    expect(limitHeaders(other)).toEqual(["3", "1", "60"]);

    const stats = sim.stats();
    expect(stats.rateLimited).toBe(1);
    expect(stats.byRoute["GET /api/v2/users"]).toEqual({ "429": 1 });
  });

  it("opens a new window once the old one has passed", async () => {
    sim = await startSimulator({ rateLimit: { model: "fixed-window", limit: 2, windowSeconds: 1 } });
    const token = sim.issueToken();
    expect((await call(sim, "/api/v2/users/me", token)).status).toBe(200);
    expect((await call(sim, "/api/v2/users/me", token)).status).toBe(200);
    const limited = await call(sim, "/api/v2/users/me", token);
    expect(limited.status).toBe(429);
    expect(limited.headers.get("retry-after")).toBe("1");
    await sleep(1_100);
    const again = await call(sim, "/api/v2/users/me", token);
    expect(again.status).toBe(200);
    expect(limitHeaders(again)).toEqual(["2", "1", "1"]);
  });

  it("defaults to Genesys's 300 requests per 60 seconds, and limits every /api/v2/ answer", async () => {
    sim = await startSimulator();
    const token = sim.issueToken();
    const notFound = await call(sim, "/api/v2/users/nobody", token);
    expect(notFound.status).toBe(404);
    expect(limitHeaders(notFound)).toEqual(["300", "1", "60"]);
    const unimplemented = await call(sim, "/api/v2/routing/queues", token);
    expect(limitHeaders(unimplemented)).toEqual(["300", "2", "60"]);
  });
});

describe("token bucket", () => {
  it("allows `capacity` at once, then 429 with the seconds until one token has refilled", async () => {
    sim = await startSimulator({ rateLimit: { model: "token-bucket", capacity: 3, refillPerSecond: 0.5 } });
    const token = sim.issueToken();
    const ok = [];
    for (let i = 0; i < 3; i++) ok.push(await call(sim, "/api/v2/users/me", token));
    expect(ok.map((a) => a.status)).toEqual([200, 200, 200]);
    // count = tokens in use; reset = seconds until the bucket is full again (1 token per 2 s).
    expect(ok.map(limitHeaders)).toEqual([
      ["3", "1", "2"],
      ["3", "2", "4"],
      ["3", "3", "6"],
    ]);
    const limited = await call(sim, "/api/v2/users/me", token);
    expectGenesysError(limited, 429, "too.many.requests.retry.after");
    expect(limited.headers.get("retry-after")).toBe("2");
    expect(limited.body.message).toBe("Rate limit exceeded the maximum. Retry the request in [2] seconds");
    expect(limitHeaders(limited)).toEqual(["3", "3", "6"]);
  });

  it("refills continuously", async () => {
    sim = await startSimulator({ rateLimit: { model: "token-bucket", capacity: 1, refillPerSecond: 2 } });
    const token = sim.issueToken();
    expect((await call(sim, "/api/v2/users/me", token)).status).toBe(200);
    const limited = await call(sim, "/api/v2/users/me", token);
    expect(limited.status).toBe(429);
    // Never "retry in 0 seconds": ≤ 0.5 s rounds up to 1.
    expect(limited.headers.get("retry-after")).toBe("1");
    await sleep(600);
    expect((await call(sim, "/api/v2/users/me", token)).status).toBe(200);
  });
});

describe("without a limit, and at run time", () => {
  it("sends no rate limit headers with rateLimit: false", async () => {
    sim = await startSimulator({ rateLimit: false });
    const token = sim.issueToken();
    const answers = await Promise.all(Array.from({ length: 20 }, () => call(sim!, "/api/v2/users/me", token)));
    expect(answers.every((a) => a.status === 200 && a.headers.get("inin-ratelimit-allowed") === null)).toBe(true);
    expect(answers[0].headers.get("inin-correlation-id")).toMatch(/^[0-9a-f-]{36}$/);
  });

  it("sends neither quota headers on 200s nor on 429s with rateLimitHeaders: false (Genesys since 2021), and still limits", async () => {
    sim = await startSimulator({ rateLimit: { model: "fixed-window", limit: 2, windowSeconds: 60 }, rateLimitHeaders: false });
    const token = sim.issueToken();
    const answers = [];
    for (let i = 0; i < 3; i++) answers.push(await call(sim, "/api/v2/users/me", token));
    expect(answers.map((a) => a.status)).toEqual([200, 200, 429]);
    expect(answers.map(limitHeaders)).toEqual(Array(3).fill([null, null, null]));
    expect(answers[2].headers.get("retry-after")).toBe("60");
    // Switched back on at run time: the headers return.
    sim.configure({ rateLimitHeaders: true, rateLimit: { model: "token-bucket", capacity: 2, refillPerSecond: 1 } });
    expect(limitHeaders(await call(sim, "/api/v2/users/me", token))).toEqual(["2", "1", "1"]);
    expect(() => sim!.configure({ rateLimitHeaders: "no" as unknown as boolean })).toThrow(/rateLimitHeaders must be a boolean/);
  });

  it("limits requests without a token under one shared key when requireAuth is false", async () => {
    sim = await startSimulator({ requireAuth: false, rateLimit: { model: "fixed-window", limit: 1, windowSeconds: 60 } });
    expect((await call(sim, "/api/v2/users/me")).status).toBe(200);
    expect((await call(sim, "/api/v2/users/me")).status).toBe(429);
    expect((await call(sim, "/api/v2/users/me", "some-token")).status).toBe(200);
  });

  it("switches model with configure(), starting fresh counters", async () => {
    sim = await startSimulator({ rateLimit: { model: "fixed-window", limit: 1, windowSeconds: 60 } });
    const token = sim.issueToken();
    await call(sim, "/api/v2/users/me", token);
    expect((await call(sim, "/api/v2/users/me", token)).status).toBe(429);
    sim.configure({ rateLimit: { model: "token-bucket", capacity: 2, refillPerSecond: 1 } });
    const after = await call(sim, "/api/v2/users/me", token);
    expect(after.status).toBe(200);
    expect(limitHeaders(after)).toEqual(["2", "1", "1"]);
    sim.configure({ rateLimit: false });
    expect((await call(sim, "/api/v2/users/me", token)).headers.get("inin-ratelimit-count")).toBeNull();
  });
});
