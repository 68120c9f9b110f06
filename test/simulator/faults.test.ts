// Fault rules: status storms (probability with seed, window, count, Retry-After), latency, reset,
// malformed JSON, processed-then-503, matching by route and method, and changes at run time.
import { afterEach, describe, expect, it } from "vitest";
import { ConfigurationError, startSimulator, type FaultRule, type Simulator } from "../../src/simulator/index.js";
import { call, expectGenesysError, post, sleep } from "./helpers.js";

let sims: Simulator[] = [];
afterEach(async () => {
  await Promise.all(sims.map((s) => s.close()));
  sims = [];
});

async function start(faults: FaultRule[], seed = 1) {
  const sim = await startSimulator({ faults, seed, rateLimit: false });
  sims.push(sim);
  return { sim, token: sim.issueToken() };
}

async function statuses(sim: Simulator, token: string, n: number, path = "/api/v2/users/me"): Promise<number[]> {
  const out: number[] = [];
  for (let i = 0; i < n; i++) out.push((await call(sim, path, token)).status);
  return out;
}

describe("status storms", () => {
  it("by probability: the seed replays the same storm; another seed another one", async () => {
    const rule: FaultRule = { kind: "status", status: 503, probability: 0.3 };
    const a = await start([rule], 42);
    const b = await start([rule], 42);
    const c = await start([rule], 7);
    const seqA = await statuses(a.sim, a.token, 80);
    const seqB = await statuses(b.sim, b.token, 80);
    const seqC = await statuses(c.sim, c.token, 80);
    expect(seqB).toEqual(seqA);
    expect(seqC).not.toEqual(seqA);
    const failures = seqA.filter((s) => s === 503).length;
    expect(failures).toBeGreaterThan(8);
    expect(failures).toBeLessThan(45);
    expect(seqA.filter((s) => s !== 503 && s !== 200)).toEqual([]);
    expect(a.sim.stats().byRoute["GET /api/v2/users/me"]).toEqual({ "200": 80 - failures, "503": failures });
  });

  it("by time window after installation", async () => {
    const { sim, token } = await start([{ kind: "status", status: 502, window: { endMs: 500 } }]);
    const during = await call(sim, "/api/v2/users/me", token);
    expectGenesysError(during, 502, "bad.gateway");
    await sleep(600);
    expect((await call(sim, "/api/v2/users/me", token)).status).toBe(200);
    // configure({ faults }) restarts the window from now.
    sim.configure({ faults: [{ kind: "status", status: 504, window: { startMs: 300 } }] });
    expect((await call(sim, "/api/v2/users/me", token)).status).toBe(200);
    await sleep(400);
    expectGenesysError(await call(sim, "/api/v2/users/me", token), 504, "gateway.timeout");
  });

  it("by count, with and without Retry-After", async () => {
    const { sim, token } = await start([
      { kind: "status", status: 503, retryAfter: 3, count: 1 },
      { kind: "status", status: 500, count: 2 },
    ]);
    const first = await call(sim, "/api/v2/users/me", token);
    expectGenesysError(first, 503, "service.unavailable");
    expect(first.headers.get("retry-after")).toBe("3");
    const second = await call(sim, "/api/v2/users/me", token);
    expectGenesysError(second, 500, "internal.server.error");
    expect(second.headers.get("retry-after")).toBeNull();
    expect(await statuses(sim, token, 3)).toEqual([500, 200, 200]);
  });

  it("429 storms use Genesys's rate limit body", async () => {
    const { sim, token } = await start([
      { kind: "status", status: 429, retryAfter: 7, count: 1 },
      { kind: "status", status: 429, count: 1 },
    ]);
    const withRetry = await call(sim, "/api/v2/users/me", token);
    expectGenesysError(withRetry, 429, "too.many.requests.retry.after");
    expect(withRetry.headers.get("retry-after")).toBe("7");
    expect(withRetry.body.message).toBe("Rate limit exceeded the maximum. Retry the request in [7] seconds");
    const without = await call(sim, "/api/v2/users/me", token);
    expectGenesysError(without, 429, "too.many.requests");
    expect(without.headers.get("retry-after")).toBeNull();
    expect(sim.stats().rateLimited).toBe(2);
  });

  it("match by route pattern, template and method", async () => {
    const { sim, token } = await start([
      { kind: "status", status: 500, route: "/api/v2/users/{userId}" },
      { kind: "status", status: 502, route: "/api/v2/conversations*" },
      { kind: "status", status: 503, route: "/api/v2/flows/executions", method: "post" },
    ]);
    expect((await call(sim, "/api/v2/users/me", token)).status).toBe(200);
    expect((await call(sim, "/api/v2/users/5e000001-0000-4000-8000-000000000001", token)).status).toBe(500);
    expect((await call(sim, "/api/v2/conversations/messages", token)).status).toBe(502);
    expect((await post(sim, "/api/v2/flows/executions", token, { flowId: "f" })).status).toBe(503);
    // GET on the same path is not faulted (it is the spec's getFlow, `/api/v2/flows/{flowId}`, not implemented: 501).
    expect((await call(sim, "/api/v2/flows/executions", token)).status).toBe(501);
    expect(sim.stats().executions.flows).toBe(0);
  });
});

describe("other kinds", () => {
  it("latency: delays the answer, rule latency added to the global one", async () => {
    const { sim, token } = await start([{ kind: "latency", route: "/api/v2/users/me", latencyMs: 300 }]);
    let started = performance.now();
    expect((await call(sim, "/api/v2/users/me", token)).status).toBe(200);
    expect(performance.now() - started).toBeGreaterThanOrEqual(290);
    sim.configure({ latencyMs: [200, 250], faults: [] });
    started = performance.now();
    expect((await call(sim, "/api/v2/users", token)).status).toBe(200);
    expect(performance.now() - started).toBeGreaterThanOrEqual(190);
  });

  it("reset: headers then a dead socket; a POST's work is still recorded", async () => {
    const { sim, token } = await start([{ kind: "reset", count: 2 }]);
    await expect(fetch(`${sim.url}/api/v2/users`, { headers: { authorization: `Bearer ${token}` } }).then((r) => r.text())).rejects.toThrow();
    const execute = fetch(`${sim.url}/api/v2/flows/executions`, {
      method: "POST",
      headers: { authorization: `Bearer ${token}`, "content-type": "application/json" },
      body: JSON.stringify({ flowId: "flow-reset" }),
    }).then((r) => r.text());
    await expect(execute).rejects.toThrow();
    expect((await call(sim, "/api/v2/users", token)).status).toBe(200);
    const stats = sim.stats();
    expect(stats.byRoute["GET /api/v2/users"]).toEqual({ "0": 1, "200": 1 });
    expect(stats.arrivals.map((a) => a.status)).toEqual([0, 0, 200]);
    expect(stats.executions.flows).toBe(1);
  });

  it("malformed-json: 200 application/json whose body does not parse", async () => {
    const { sim, token } = await start([{ kind: "malformed-json", route: "/api/v2/users" }]);
    const answer = await call(sim, "/api/v2/users", token);
    expect(answer.status).toBe(200);
    expect(answer.headers.get("content-type")).toBe("application/json");
    expect(answer.text.startsWith('{"entities":[')).toBe(true);
    expect(() => JSON.parse(answer.text)).toThrow(SyntaxError);
  });

  it("processed-then-503: the execution is recorded, then 503; a blind retry duplicates it", async () => {
    const { sim, token } = await start([{ kind: "processed-then-503", route: "/api/v2/flows/executions", count: 1, retryAfter: 2 }]);
    const body = { flowId: "flow-1", inputData: { orderId: "o-1", amount: 3 } };
    const first = await post(sim, "/api/v2/flows/executions", token, body);
    expectGenesysError(first, 503, "service.unavailable");
    expect(first.headers.get("retry-after")).toBe("2");
    expect(sim.stats().executions).toEqual({ flows: 1, actions: 0, duplicates: 0 });
    // Same body, keys in another order: still the same execution.
    const retry = await post(sim, "/api/v2/flows/executions", token, { inputData: { amount: 3, orderId: "o-1" }, flowId: "flow-1" });
    expect(retry.status).toBe(200);
    expect(sim.stats().executions).toEqual({ flows: 2, actions: 0, duplicates: 1 });
  });

  it("processed-then-503 does not hide a validation error (nothing was processed)", async () => {
    const { sim, token } = await start([{ kind: "processed-then-503" }]);
    expectGenesysError(await post(sim, "/api/v2/flows/executions", token, { name: "no flow id" }), 400, "bad.request");
    expect(sim.stats().executions.flows).toBe(0);
  });
});

describe("configuration", () => {
  it("installs and removes faults at run time", async () => {
    const { sim, token } = await start([]);
    expect((await call(sim, "/api/v2/users/me", token)).status).toBe(200);
    sim.configure({ faults: [{ kind: "status", status: 500 }] });
    expect((await call(sim, "/api/v2/users/me", token)).status).toBe(500);
    sim.configure({ faults: [] });
    expect((await call(sim, "/api/v2/users/me", token)).status).toBe(200);
  });

  it.each([
    [{ kind: "status", status: 418 }, /faults\[0\]\.status must be one of 429, 500, 502, 503, 504 \(got 418\)/],
    [{ kind: "explode" }, /faults\[0\]\.kind must be one of/],
    [{ kind: "status", probability: 2 }, /faults\[0\]\.probability must be a number from 0 to 1/],
    [{ kind: "latency" }, /a "latency" fault needs latencyMs/],
    [{ kind: "status", window: { startMs: 500, endMs: 100 } }, /faults\[0\]\.window/],
    [{ kind: "status", retryAfter: 0 }, /faults\[0\]\.retryAfter must be an integer from 1/],
  ])("rejects a bad rule %j with a ConfigurationError, keeping the old rules", async (rule, message) => {
    const { sim, token } = await start([{ kind: "status", status: 502 }]);
    expect(() => sim.configure({ faults: [rule as FaultRule] })).toThrow(ConfigurationError);
    expect(() => sim.configure({ faults: [rule as FaultRule] })).toThrow(message);
    await expect(startSimulator({ faults: [rule as FaultRule] })).rejects.toThrow(message);
    expect((await call(sim, "/api/v2/users/me", token)).status).toBe(502);
  });
});
