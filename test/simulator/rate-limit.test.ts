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
    sim = await startSimulator({ rateLimit: { model: "fixed-window", limit: 3, windowSeconds: 60 }, rateLimitHeaders: true });
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
    sim = await startSimulator({ rateLimit: { model: "fixed-window", limit: 2, windowSeconds: 1 }, rateLimitHeaders: true });
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
    sim = await startSimulator({ rateLimitHeaders: true });
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
    sim = await startSimulator({ rateLimit: { model: "token-bucket", capacity: 3, refillPerSecond: 0.5 }, rateLimitHeaders: true });
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

  it("by default sends no quota headers, on 200s or 429s (Genesys since 2021), and still limits", async () => {
    sim = await startSimulator({ rateLimit: { model: "fixed-window", limit: 2, windowSeconds: 60 } });
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
    sim = await startSimulator({ rateLimit: { model: "fixed-window", limit: 1, windowSeconds: 60 }, rateLimitHeaders: true });
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

describe("as Genesys today: named limits, layers, the limits API", () => {
  it("names the per-token limit in the 429 body by default (300 per 60 s, token.rate.per.minute)", async () => {
    sim = await startSimulator();
    const token = sim.issueToken();
    const answers = await Promise.all(Array.from({ length: 301 }, () => call(sim!, "/api/v2/users/me", token)));
    const limited = answers.filter((a) => a.status === 429);
    expect(limited).toHaveLength(1);
    expect(limited[0].headers.get("retry-after")).toMatch(/^(59|60)$/);
    expect(limited[0].headers.get("inin-ratelimit-allowed")).toBeNull();
    expect(limited[0].body.limit).toEqual({ key: "token.rate.per.minute", namespace: "platform.api", value: 300 });
    expect(limited[0].body.message).toBe(`Rate limit exceeded the maximum. Retry the request in [${limited[0].headers.get("retry-after")}] seconds`);
  });

  it("leaves the name out with name: false, and uses a model's own name", async () => {
    sim = await startSimulator({ rateLimit: { model: "fixed-window", limit: 1, windowSeconds: 60, name: false } });
    const token = sim.issueToken();
    await call(sim, "/api/v2/users/me", token);
    expect((await call(sim, "/api/v2/users/me", token)).body.limit).toBeUndefined();
    sim.configure({ rateLimit: { model: "token-bucket", capacity: 1, refillPerSecond: 3, name: { key: "user.rate.per.minute", namespace: "directory" } } });
    await call(sim, "/api/v2/users/me", token);
    expect((await call(sim, "/api/v2/users/me", token)).body.limit).toEqual({ key: "user.rate.per.minute", namespace: "directory", value: 180 });
    expect(() => sim!.configure({ rateLimit: { model: "fixed-window", limit: 1, windowSeconds: 1, name: { key: "" } as never } })).toThrow(/rateLimit.name/);
  });

  it("applies a namespace's limit to its routes only, and a client's limit to all of that client's tokens", async () => {
    sim = await startSimulator({
      rateLimit: false,
      limits: [
        {
          per: "token",
          route: "/api/v2/users*",
          limit: { model: "fixed-window", limit: 2, windowSeconds: 60, name: { key: "user.rate.per.minute", namespace: "directory" } },
        },
        {
          per: "client",
          limit: { model: "fixed-window", limit: 5, windowSeconds: 60, name: { key: "client.credentials.token.rate.per.minute", namespace: "platform.api" } },
        },
      ],
    });
    const a = sim.issueToken();
    const b = sim.issueToken(); // the same OAuth client
    const users = [await call(sim, "/api/v2/users/me", a), await call(sim, "/api/v2/users/me", a), await call(sim, "/api/v2/users/me", a)];
    expect(users.map((r) => r.status)).toEqual([200, 200, 429]);
    expect(users[2].body.limit).toMatchObject({ namespace: "directory", value: 2 });
    // Other routes are not in the directory namespace; the client's 5 are shared by both tokens (2 used by a).
    const others = [];
    for (let i = 0; i < 4; i++) others.push(await call(sim, "/api/v2/conversations/messages", i % 2 ? a : b));
    expect(others.map((r) => r.status)).toEqual([200, 200, 200, 429]);
    expect(others[3].body.limit).toMatchObject({ key: "client.credentials.token.rate.per.minute", value: 5 });
    expect(() => sim!.configure({ limits: [{ per: "user" as never, limit: { model: "fixed-window", limit: 1, windowSeconds: 1 } }] })).toThrow(
      /limits\[0\].per/,
    );
  });

  it("answers GET /api/v2/organizations/limits/namespaces/{namespace} with the limits it enforces", async () => {
    sim = await startSimulator({
      limits: [
        {
          per: "token",
          route: "/api/v2/users*",
          limit: { model: "fixed-window", limit: 180, windowSeconds: 60, name: { key: "user.rate.per.minute", namespace: "directory" } },
        },
      ],
    });
    const token = sim.issueToken();
    const platform = await call(sim, "/api/v2/organizations/limits/namespaces/platform.api", token);
    expect(platform.status).toBe(200);
    expect(platform.body).toEqual({ entities: [{ key: "token.rate.per.minute", namespace: "platform.api", value: 300 }] });
    expect((await call(sim, "/api/v2/organizations/limits/namespaces/directory", token)).body).toEqual({
      entities: [{ key: "user.rate.per.minute", namespace: "directory", value: 180 }],
    });
    expect((await call(sim, "/api/v2/organizations/limits/namespaces/architect", token)).body).toEqual({ entities: [] });
  });
});
