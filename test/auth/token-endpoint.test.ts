// The token endpoint's own retry and its errors, over real HTTP (simulator faults on /oauth/token, closed ports).
import { createServer } from "node:net";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { AuthError, createGenesysClient, type GenesysClient, type GenesysEvents } from "../../src/index.js";
import { startSimulator } from "../../src/simulator/index.js";
import type { Simulator } from "../../src/simulator/types.js";
import { expectNoSecrets } from "../support/secrets.js";
import { json, startTinyServer } from "../support/tiny-server.js";

const SECRET = "s3cr3t-Value/with+chars=";
const CLIENT = "client-7f1c";
const BASIC = Buffer.from(`${CLIENT}:${SECRET}`).toString("base64");
const SECRETS = [SECRET, encodeURIComponent(SECRET), BASIC, `${CLIENT}:${SECRET}`];
const auth = { clientId: CLIENT, clientSecret: SECRET };

let sim: Simulator;
beforeAll(async () => {
  sim = await startSimulator({ rateLimit: false, clients: [{ clientId: CLIENT, clientSecret: SECRET }] });
});
afterAll(() => sim.close());
afterEach(() => {
  sim.configure({ faults: [] });
  sim.resetStats();
});

const callError = async (gc: GenesysClient) => {
  const error = await gc.GET("/api/v2/users/me").then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(AuthError);
  return error as AuthError;
};

/** A loopback port with nothing listening. */
async function closedPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as { port: number };
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

describe("token endpoint retry", () => {
  it("honours a 429's Retry-After before asking again", async () => {
    sim.configure({ faults: [{ kind: "status", route: "/oauth/token", status: 429, retryAfter: 1, count: 1 }] });
    const gc = createGenesysClient({ baseUrl: sim.url, auth });
    const events: GenesysEvents["tokenRequest"][] = [];
    gc.on("tokenRequest", (e) => events.push(e));
    expect((await gc.GET("/api/v2/users/me")).response.status).toBe(200);
    const tokenArrivals = sim.stats().arrivals.filter((a) => a.route === "/oauth/token");
    expect(tokenArrivals.map((a) => a.status)).toEqual([429, 200]);
    expect(tokenArrivals[1].t - tokenArrivals[0].t).toBeGreaterThanOrEqual(950);
    expect(events.map((e) => [e.ok, e.status])).toEqual([
      [false, 429],
      [true, 200],
    ]);
  });

  it("gives up at once on a Retry-After longer than maxRetryAfterMs", async () => {
    sim.configure({ faults: [{ kind: "status", route: "/oauth/token", status: 429, retryAfter: 120 }] });
    const gc = createGenesysClient({ baseUrl: sim.url, auth: { ...auth, tokenRequest: { maxRetryAfterMs: 5000 } } });
    const error = await callError(gc);
    expect(error).toMatchObject({ status: 429, code: "too.many.requests.retry.after" });
    expect(error.message).toMatch(/Retry-After 120 s is longer than tokenRequest\.maxRetryAfterMs 5000 ms/);
    expect(sim.stats().tokenRequests).toBe(1);
  });

  it("retries 5xx with backoff, then succeeds", async () => {
    sim.configure({ faults: [{ kind: "status", route: "/oauth/token", status: 503, count: 2 }] });
    const gc = createGenesysClient({ baseUrl: sim.url, auth: { ...auth, tokenRequest: { baseDelayMs: 20 } } });
    expect((await gc.GET("/api/v2/users/me")).response.status).toBe(200);
    expect(
      sim
        .stats()
        .arrivals.filter((a) => a.route === "/oauth/token")
        .map((a) => a.status),
    ).toEqual([503, 503, 200]);
  });

  it("stops after maxAttempts with an AuthError carrying the last status", async () => {
    sim.configure({ faults: [{ kind: "status", route: "/oauth/token", status: 502 }] });
    const gc = createGenesysClient({ baseUrl: sim.url, auth: { ...auth, tokenRequest: { baseDelayMs: 10, maxAttempts: 2 } } });
    const error = await callError(gc);
    expect(error).toMatchObject({ status: 502, code: "bad.gateway" });
    expect(error.message).toMatch(/failed with 502 bad\.gateway.*gave up after 2 attempt\(s\)/);
    expect(sim.stats().tokenRequests).toBe(2);
  });

  it("times out a hanging token request and retries it", async () => {
    sim.configure({ faults: [{ kind: "latency", route: "/oauth/token", latencyMs: 3000, count: 1 }] });
    const gc = createGenesysClient({ baseUrl: sim.url, auth: { ...auth, tokenRequest: { timeoutMs: 300, baseDelayMs: 10 } } });
    expect((await gc.GET("/api/v2/users/me")).response.status).toBe(200);
    expect(sim.stats().tokenRequests).toBe(2);
  });

  it("retries network errors, then fails with a scrubbed cause", async () => {
    const port = await closedPort();
    const gc = createGenesysClient({ baseUrl: sim.url, loginUrl: `http://127.0.0.1:${port}`, auth: { ...auth, tokenRequest: { baseDelayMs: 10 } } });
    const events: GenesysEvents["tokenRequest"][] = [];
    gc.on("tokenRequest", (e) => events.push(e));
    const error = await callError(gc);
    expect(error.status).toBeUndefined();
    expect(error.message).toMatch(new RegExp(`Token request to http://127\\.0\\.0\\.1:${port}/oauth/token failed: fetch failed.*gave up after 3 attempt`));
    expect(error.cause).toBeInstanceOf(Error);
    expect(events).toHaveLength(3);
    expect(events.every((e) => !e.ok && e.status === undefined)).toBe(true);
    expectNoSecrets(error, SECRETS);
  });

  it("a caller's abort ends its wait for a token", async () => {
    sim.configure({ faults: [{ kind: "latency", route: "/oauth/token", latencyMs: 5000 }] });
    const gc = createGenesysClient({ baseUrl: sim.url, auth });
    const controller = new AbortController();
    const call = gc.GET("/api/v2/users/me", { signal: controller.signal });
    setTimeout(() => controller.abort(), 100);
    await expect(call).rejects.toThrow();
    expect(sim.stats().byRoute["GET /api/v2/users/me"]).toBeUndefined();
  });
});

describe("secrets never reach an error", () => {
  it("wrong secret, 5xx, 429 and network failures: message, String, JSON, stack and cause are clean", async () => {
    const errors: unknown[] = [];
    const wrong = createGenesysClient({ baseUrl: sim.url, auth: { clientId: CLIENT, clientSecret: `${SECRET}x` } });
    errors.push(await callError(wrong));

    sim.configure({ faults: [{ kind: "status", route: "/oauth/token", status: 500 }] });
    errors.push(await callError(createGenesysClient({ baseUrl: sim.url, auth: { ...auth, tokenRequest: { maxAttempts: 1 } } })));
    sim.configure({ faults: [{ kind: "status", route: "/oauth/token", status: 429, retryAfter: 600 }] });
    errors.push(await callError(createGenesysClient({ baseUrl: sim.url, auth })));
    sim.configure({ faults: [{ kind: "malformed-json", route: "/oauth/token" }] });
    errors.push(await callError(createGenesysClient({ baseUrl: sim.url, auth })));

    const port = await closedPort();
    errors.push(
      await callError(createGenesysClient({ baseUrl: sim.url, loginUrl: `http://127.0.0.1:${port}`, auth: { ...auth, tokenRequest: { maxAttempts: 1 } } })),
    );

    const wrongSecrets = [`${SECRET}x`, Buffer.from(`${CLIENT}:${SECRET}x`).toString("base64")];
    for (const error of errors) expectNoSecrets(error, [...SECRETS, ...wrongSecrets]);
    expect(errors.map((e) => (e as AuthError).status)).toEqual([401, 500, 429, 200, undefined]);
    expect(JSON.parse(JSON.stringify(errors[0]))).toMatchObject({ name: "AuthError", status: 401, code: "invalid_client" });
  });

  it("a login server echoing the credentials, and a fetch whose errors quote the request, are scrubbed", async () => {
    const echo = await startTinyServer((req, res) =>
      json(res, 400, { error: `bad_${SECRET}`, error_description: `Rejected ${req.headers.authorization} (secret ${SECRET}, ${encodeURIComponent(SECRET)})` }),
    );
    const port = await closedPort();
    // A fetch (as some polyfills do) whose network errors quote the request headers.
    const verboseFetch: typeof fetch = async (input, init) => {
      try {
        return await fetch(input, init);
      } catch (error) {
        const headers = JSON.stringify(init?.headers);
        throw new TypeError(`fetch failed for ${String(input)} with headers ${headers}`, { cause: new Error(`socket: ${headers}`, { cause: error }) });
      }
    };
    try {
      const echoed = await callError(createGenesysClient({ baseUrl: sim.url, loginUrl: echo.url, auth }));
      expect(echo.requests[0].headers.authorization).toBe(`Basic ${BASIC}`); // the server really got (and echoed) it
      expect(echoed.message).toMatch(/failed with 400 bad_\[redacted\]: Rejected \[redacted\] \(secret \[redacted\], \[redacted\]\)/);
      expectNoSecrets(echoed, SECRETS);

      const loginUrl = `http://127.0.0.1:${port}`;
      const verbose = await callError(
        createGenesysClient({ baseUrl: sim.url, loginUrl, fetch: verboseFetch, auth: { ...auth, tokenRequest: { maxAttempts: 1 } } }),
      );
      expect(verbose.message).toContain("[redacted]");
      expect((verbose.cause as Error).message).toContain("[redacted]");
      expectNoSecrets(verbose, SECRETS);
    } finally {
      await echo.close();
    }
  });

  it("the tokens themselves never appear in an API error", async () => {
    const token = sim.issueToken(1);
    await new Promise((resolve) => setTimeout(resolve, 1100));
    const gc = createGenesysClient({ baseUrl: sim.url, auth: { accessToken: token } });
    const { error } = await gc.GET("/api/v2/users/me");
    expect(error).toMatchObject({ status: 401, code: "credentials.expired" });
    expectNoSecrets(error, [token]);
  });
});
