// Typed errors: GenesysApiError from real answers (simulator, loopback server), the resilience family, JSON forms.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  AbortedError,
  AuthError,
  BreakerOpenError,
  BulkheadFullError,
  ConfigurationError,
  createGenesysClient,
  GenesysApiError,
  GenesysError,
  PaginationError,
  ResilienceError,
  RetryBudgetExceededError,
  TimeoutError,
  unwrap,
} from "../../src/index.js";
import { findOperationByRoute } from "../../src/operations/index.js";
import { startSimulator } from "../../src/simulator/index.js";
import type { Simulator } from "../../src/simulator/types.js";
import { json, startTinyServer } from "../support/tiny-server.js";

let sim: Simulator;
let server: Awaited<ReturnType<typeof startTinyServer>>;
beforeAll(async () => {
  sim = await startSimulator({ rateLimit: { model: "fixed-window", limit: 2, windowSeconds: 60 } });
  server = await startTinyServer((_req, res) =>
    json(
      res,
      403,
      {
        message: "You are missing the following permission(s): routing:queue:view",
        messageWithParams: "You are missing the following permission(s): {permissions}",
        messageParams: { permissions: "routing:queue:view" },
        code: "missing.permissions",
        status: 403,
        contextId: "ctx-1",
      },
      { "ININ-Correlation-Id": "corr-403" },
    ),
  );
});
afterAll(async () => {
  await Promise.all([sim.close(), server.close()]);
});

describe("GenesysApiError", () => {
  it("carries status, code, message, correlation id, retryAfter and the operation of a 429", async () => {
    const gc = createGenesysClient({ baseUrl: sim.url, auth: { clientId: "sim-client", clientSecret: "sim-secret" }, resilience: false });
    const results = [];
    for (let i = 0; i < 3; i++) results.push(await gc.GET("/api/v2/users/{userId}", { params: { path: { userId: "u" } } }));
    const { error, response } = results[2];
    expect(response.status).toBe(429);
    expect(error).toBeInstanceOf(GenesysApiError);
    expect(error).toBeInstanceOf(GenesysError);
    expect(error).toMatchObject({ status: 429, code: "too.many.requests.retry.after", operation: { method: "GET", path: "/api/v2/users/{userId}" } });
    expect(error!.retryAfter).toBeGreaterThan(0);
    expect(error!.correlationId).toBe(response.headers.get("inin-correlation-id"));
    expect(error!.correlationId).toMatch(/^[0-9a-f-]{36}$/);
    expect(error!.message).toMatch(/^GET \/api\/v2\/users\/\{userId\} failed with 429 too\.many\.requests\.retry\.after: Rate limit exceeded/);
    expect(error!.requiredPermissions).toBeUndefined(); // only for 403
    // A 404 is typed the same way.
    expect(results[0].error).toMatchObject({ status: 404, code: "not.found" });
  });

  it("a 403 missing.permissions lists the permissions the operation requires, from the spec", async () => {
    const gc = createGenesysClient({ baseUrl: server.url });
    const { error } = await gc.GET("/api/v2/routing/queues/{queueId}", { params: { path: { queueId: "q" } } });
    const fromSpec = findOperationByRoute("GET", "/api/v2/routing/queues/{queueId}")!.permissions!;
    expect(fromSpec.permissions.length).toBeGreaterThan(0);
    expect(error).toMatchObject({ status: 403, code: "missing.permissions", correlationId: "corr-403", contextId: "ctx-1" });
    expect(error!.messageParams).toEqual({ permissions: "routing:queue:view" });
    expect(error!.requiredPermissions).toEqual(fromSpec);
    for (const permission of fromSpec.permissions) expect(error!.message).toContain(permission);
    expect(error!.message).toMatch(/Required permissions \((any|all) of\): /);
    const viaCall = await gc.call("postUsersSearch", { body: { query: [] } });
    expect(viaCall.error!.requiredPermissions).toEqual(findOperationByRoute("POST", "/api/v2/users/search")!.permissions);
  });

  it("serializes to a useful JSON object and is thrown by unwrap()", async () => {
    const gc = createGenesysClient({ baseUrl: server.url });
    const thrown = await unwrap(gc.GET("/api/v2/routing/queues/{queueId}", { params: { path: { queueId: "q" } } })).catch((e: unknown) => e);
    expect(thrown).toBeInstanceOf(GenesysApiError);
    const json = JSON.parse(JSON.stringify(thrown));
    expect(json).toMatchObject({ name: "GenesysApiError", status: 403, code: "missing.permissions", correlationId: "corr-403", operation: { method: "GET" } });
    expect(json.requiredPermissions.permissions.length).toBeGreaterThan(0);
    expect(String(thrown)).toMatch(/^GenesysApiError: GET \/api\/v2\/routing\/queues\/\{queueId\} failed with 403 missing\.permissions/);
  });

  it("keeps Retry-After as seconds on the error; the parser itself is not public", async () => {
    const error = new GenesysApiError({
      status: 429,
      body: { code: "too.many.requests.retry.after" },
      headers: new Headers({ "retry-after": "7" }),
      operation: { method: "GET", path: "/api/v2/users" },
    });
    expect(error.retryAfter).toBe(7);
    expect(Object.keys(await import("../../src/index.js"))).not.toContain("parseRetryAfterSeconds");
  });
});

describe("the error family", () => {
  const op = { method: "GET", path: "/api/v2/users" };
  const resilience = [
    new BreakerOpenError("users", Date.UTC(2030, 0, 1), op),
    new BulkheadFullError(32, 100, op),
    new TimeoutError("attempt", 16000, op),
    new TimeoutError("total", 60000, op),
    new AbortedError(op, new Error("user left")),
    new RetryBudgetExceededError("max-attempts", 5, "5 attempts, last answer 503", op, 503),
  ];

  it("resilience errors are distinct classes with a common base and messages a person understands", () => {
    expect(new Set(resilience.map((e) => e.name)).size).toBe(5);
    for (const error of resilience) {
      expect(error).toBeInstanceOf(ResilienceError);
      expect(error).toBeInstanceOf(GenesysError);
      expect(error).not.toBeInstanceOf(GenesysApiError);
      expect(error.message).toContain("GET /api/v2/users");
      expect(error.operation).toEqual(op);
    }
    expect(resilience.map((e) => e.message)).toEqual([
      'Circuit for route group "users" is open after repeated failures; GET /api/v2/users was not sent. It will probe again at 2030-01-01T00:00:00.000Z.',
      "Too many calls in flight: 32 running and 100 queued (the bulkhead's limits); GET /api/v2/users was refused.",
      "GET /api/v2/users: an attempt took longer than 16000 ms and was aborted.",
      "GET /api/v2/users: the call's total deadline of 60000 ms passed.",
      "GET /api/v2/users was aborted by the caller.",
      "GET /api/v2/users gave up after 5 attempt(s): 5 attempts, last answer 503",
    ]);
  });

  it("every error serializes its fields (never cause or stack)", () => {
    expect(JSON.parse(JSON.stringify(resilience[0]))).toEqual({
      name: "BreakerOpenError",
      message: resilience[0].message,
      operation: op,
      routeGroup: "users",
      probeAt: Date.UTC(2030, 0, 1),
    });
    const aborted = JSON.parse(JSON.stringify(resilience[4]));
    expect(aborted).toEqual({ name: "AbortedError", message: "GET /api/v2/users was aborted by the caller.", operation: op });
    expect(JSON.parse(JSON.stringify(new AuthError("Token request failed with 401 invalid_client", 401, "invalid_client", { cause: new Error("x") })))).toEqual(
      {
        name: "AuthError",
        message: "Token request failed with 401 invalid_client",
        status: 401,
        code: "invalid_client",
      },
    );
    const paging = new PaginationError("foreign", "foreign-next-uri", op, "https://evil.example.com");
    expect(JSON.parse(JSON.stringify(paging))).toEqual({
      name: "PaginationError",
      message: "foreign",
      reason: "foreign-next-uri",
      operation: op,
      foreignOrigin: "https://evil.example.com",
    });
    expect(JSON.parse(JSON.stringify(new ConfigurationError("bad")))).toEqual({ name: "ConfigurationError", message: "bad" });
  });
});
