// The simulator's login side and bearer check, over real HTTP with plain fetch.
import { afterEach, describe, expect, it } from "vitest";
import { startSimulator, type Simulator } from "../../src/simulator/index.js";
import { basic, call, expectGenesysError, login, sleep, tokenRequest } from "./helpers.js";

let sim: Simulator | undefined;
afterEach(async () => {
  await sim?.close();
  sim = undefined;
});

describe("POST /oauth/token", () => {
  it("issues a bearer token for the default client (HTTP Basic, client_credentials)", async () => {
    sim = await startSimulator();
    const response = await tokenRequest(sim);
    expect(response.status).toBe(200);
    expect(response.headers.get("inin-correlation-id")).toMatch(/^[0-9a-f-]{36}$/);
    expect(response.headers.get("cache-control")).toBe("no-store");
    expect(response.headers.get("inin-ratelimit-allowed")).toBeNull();
    const body = (await response.json()) as Record<string, unknown>;
    expect(body).toEqual({ access_token: expect.stringMatching(/^[\w-]{20,}$/), token_type: "bearer", expires_in: 86400 });
    const me = await call(sim, "/api/v2/users/me", body.access_token as string);
    expect(me.status).toBe(200);
  });

  it("accepts configured clients, also as client_id/client_secret form fields", async () => {
    sim = await startSimulator({ clients: [{ clientId: "app-1", clientSecret: "s3cr3t" }], tokenTtlSeconds: 120 });
    const viaBasic = await tokenRequest(sim, basic("app-1", "s3cr3t"));
    expect(viaBasic.status).toBe(200);
    expect(((await viaBasic.json()) as { expires_in: number }).expires_in).toBe(120);
    const viaForm = await tokenRequest(sim, null, "grant_type=client_credentials&client_id=app-1&client_secret=s3cr3t");
    expect(viaForm.status).toBe(200);
    expect((await tokenRequest(sim, basic())).status).toBe(401);
  });

  it.each([
    ["a wrong secret", basic("sim-client", "wrong-secret")],
    ["an unknown client", basic("nobody", "sim-secret")],
    ["no credentials", null],
  ])("answers 401 invalid_client with Genesys's error fields for %s", async (_case, authorization) => {
    sim = await startSimulator();
    const response = await tokenRequest(sim, authorization);
    const text = await response.text();
    const body = JSON.parse(text) as Record<string, unknown>;
    expect(response.status).toBe(401);
    expect(body).toMatchObject({ error: "invalid_client", code: "bad.credentials", status: 401, details: [], errors: [] });
    expect(body.contextId).toBe(response.headers.get("inin-correlation-id"));
    expect(body.error_description).toBe(body.message);
    expect(text).not.toContain("wrong-secret");
  });

  it("answers 400 for a wrong or missing grant_type", async () => {
    sim = await startSimulator();
    const wrong = await tokenRequest(sim, basic(), "grant_type=password&username=a&password=b");
    expect(wrong.status).toBe(400);
    expect(await wrong.json()).toMatchObject({ error: "unsupported_grant_type", code: "bad.request", status: 400 });
    const missing = await tokenRequest(sim, basic(), "");
    expect(missing.status).toBe(400);
    expect(await missing.json()).toMatchObject({ error: "invalid_request", code: "bad.request", status: 400 });
  });

  it("counts every token request, is not rate-limited by the API limit, and answers 404 to other methods", async () => {
    sim = await startSimulator({ rateLimit: { model: "fixed-window", limit: 1, windowSeconds: 60 } });
    const statuses = [];
    for (let i = 0; i < 4; i++) statuses.push((await tokenRequest(sim)).status);
    statuses.push((await tokenRequest(sim, basic("x", "y"))).status);
    expect(statuses).toEqual([200, 200, 200, 200, 401]);
    expectGenesysError(await call(sim, "/oauth/token"), 404, "not.found");
    const stats = sim.stats();
    expect(stats.tokenRequests).toBe(5);
    expect(stats.byRoute["POST /oauth/token"]).toEqual({ "200": 4, "401": 1 });
    expect(stats.rateLimited).toBe(0);
  });

  it("expires tokens after tokenTtlSeconds (401 credentials.expired)", async () => {
    sim = await startSimulator({ tokenTtlSeconds: 1 });
    const response = await tokenRequest(sim);
    const { access_token: token, expires_in: expiresIn } = (await response.json()) as { access_token: string; expires_in: number };
    expect(expiresIn).toBe(1);
    expect((await call(sim, "/api/v2/users/me", token)).status).toBe(200);
    await sleep(1_100);
    expectGenesysError(await call(sim, "/api/v2/users/me", token), 401, "credentials.expired");
  });

  it("has its own faults: 429 with Retry-After, 500, latency (API faults leave it alone)", async () => {
    sim = await startSimulator({
      faults: [
        { kind: "status", route: "/oauth/token", status: 429, retryAfter: 5, count: 1 },
        { kind: "status", route: "/oauth/token", status: 500, count: 1 },
        { kind: "latency", route: "/oauth/token", latencyMs: 300, count: 1 },
        { kind: "status", status: 503 },
      ],
    });
    const limited = await tokenRequest(sim);
    expect(limited.status).toBe(429);
    expect(limited.headers.get("retry-after")).toBe("5");
    expect(await limited.json()).toMatchObject({
      code: "too.many.requests.retry.after",
      message: "Rate limit exceeded the maximum. Retry the request in [5] seconds",
    });
    const failed = await tokenRequest(sim);
    expect(failed.status).toBe(500);
    expect(failed.headers.get("retry-after")).toBeNull();
    expect(await failed.json()).toMatchObject({ code: "internal.server.error", status: 500 });
    const started = performance.now();
    const slow = await tokenRequest(sim);
    expect(slow.status).toBe(200);
    expect(performance.now() - started).toBeGreaterThanOrEqual(290);
    expect((await tokenRequest(sim)).status).toBe(200);
    expect(sim.stats().rateLimited).toBe(1);
  });
});

describe("bearer check on /api/v2/", () => {
  it("answers 401 for a missing, malformed, unknown or expired token, before any rate limiting", async () => {
    sim = await startSimulator({ rateLimit: { model: "fixed-window", limit: 1, windowSeconds: 60 } });
    const missing = await call(sim, "/api/v2/users/me");
    expectGenesysError(missing, 401, "authentication.required");
    expect(missing.headers.get("inin-ratelimit-allowed")).toBeNull();
    expectGenesysError(await call(sim, "/api/v2/users/me", undefined, { headers: { authorization: "Basic abc" } }), 401, "authentication.required");
    expectGenesysError(await call(sim, "/api/v2/users/me", "not-a-token"), 401, "bad.credentials");
    const shortLived = sim.issueToken(0.2);
    expect((await call(sim, "/api/v2/users/me", shortLived)).status).toBe(200);
    await sleep(300);
    expectGenesysError(await call(sim, "/api/v2/users/me", shortLived), 401, "credentials.expired");
    expect(sim.stats().byRoute["GET /api/v2/users/me"]).toEqual({ "200": 1, "401": 4 });
    expect(sim.stats().tokenRequests).toBe(0);
  });

  it("lets every request through with requireAuth: false", async () => {
    sim = await startSimulator({ requireAuth: false });
    expect((await call(sim, "/api/v2/users/me")).status).toBe(200);
    expect((await call(sim, "/api/v2/users/me", "anything")).status).toBe(200);
  });

  it("issues tokens from the API as well (issueToken), not counted as token requests", async () => {
    sim = await startSimulator();
    const token = sim.issueToken();
    expect((await call(sim, "/api/v2/users/me", token)).status).toBe(200);
    expect(await login(sim)).not.toBe(token);
    expect(sim.stats().tokenRequests).toBe(1);
    expect(() => sim!.issueToken(0)).toThrow(/ttlSeconds must be a number > 0/);
  });
});
