// Options: defaults, per-call overrides, and bad values refused with an error naming the option.
import { describe, expect, it } from "vitest";
import { ConfigurationError, createGenesysClient } from "../../src/index.js";
import { DEFAULT_BREAKER, DEFAULT_BULKHEAD, DEFAULT_RETRY, DEFAULT_TIMEOUT, defaultRouteGroup } from "../../src/resilience/index.js";
import { resolveCall, resolveResilience } from "../../src/resilience/options.js";

describe("resilience options", () => {
  it("fills in the documented defaults", () => {
    const r = resolveResilience(undefined);
    expect(r.retry).toEqual(DEFAULT_RETRY);
    expect(r.bulkhead).toEqual(DEFAULT_BULKHEAD);
    expect(r.breaker).toEqual(DEFAULT_BREAKER);
    expect(r.timeout).toEqual(DEFAULT_TIMEOUT);
    expect(DEFAULT_RETRY).toMatchObject({ maxAttempts: 5, maxRetryAfterMs: 90_000, budgetMs: 120_000, retryOn500: false });
    expect(DEFAULT_TIMEOUT.attemptMs).toBe(16_000);
    expect(DEFAULT_BULKHEAD.maxConcurrent).toBe(32);
    expect(DEFAULT_BREAKER).toMatchObject({ failureRate: 0.5, samplingMs: 10_000, minimumRps: 5, halfOpenAfterMs: 1_000, maxHalfOpenAfterMs: 30_000 });
    expect(resolveResilience({ retry: false, breaker: { consecutiveFailures: 3 } })).toMatchObject({
      retry: false,
      breaker: { consecutiveFailures: 3, halfOpenAfterMs: 1_000 },
    });
  });

  it("groups routes by the first segment after /api/v2/", () => {
    expect(defaultRouteGroup("/api/v2/users/{userId}")).toBe("users");
    expect(defaultRouteGroup("/api/v2/flows/executions")).toBe("flows");
    expect(defaultRouteGroup("/api/v2/analytics/conversations/details/query")).toBe("analytics");
    expect(defaultRouteGroup("/oauth/token")).toBe("oauth");
  });

  it("applies per-call overrides over the client's settings", () => {
    const client = resolveResilience({ retry: { maxAttempts: 4 }, timeout: { attemptMs: 1_000, totalMs: 9_000 } });
    expect(resolveCall(client, undefined)).toMatchObject({ retry: { maxAttempts: 4 }, attemptMs: 1_000, totalMs: 9_000, idempotent: undefined });
    expect(resolveCall(client, { retry: false }).retry.maxAttempts).toBe(1);
    expect(resolveCall(client, { retry: false, maxAttempts: 3 }).retry.maxAttempts).toBe(1);
    expect(resolveCall(client, { maxAttempts: 2, timeoutMs: 50, deadlineMs: 70, idempotent: true })).toMatchObject({
      retry: { maxAttempts: 2 },
      attemptMs: 50,
      totalMs: 70,
      idempotent: true,
    });
    expect(resolveCall(client, { retry: { retryOn500: true } }).retry).toMatchObject({ retryOn500: true, maxAttempts: 4 });
    // A client without retries still lets one call ask for them.
    expect(resolveCall(resolveResilience({ retry: false }), { maxAttempts: 3 }).retry.maxAttempts).toBe(3);
  });

  it("refuses bad values with a ConfigurationError naming the option", () => {
    const bad: [object, RegExp][] = [
      [{ retry: { maxAttempts: 0 } }, /retry\.maxAttempts must be an integer ≥ 1 \(got 0\)/],
      [{ retry: { baseDelayMs: -1 } }, /retry\.baseDelayMs/],
      [{ bulkhead: { maxConcurrent: 1.5 } }, /bulkhead\.maxConcurrent/],
      [{ bulkhead: { maxQueued: -1 } }, /bulkhead\.maxQueued/],
      [{ rateLimit: { requestsPerSecond: 0 } }, /rateLimit\.requestsPerSecond must be a number > 0/],
      [{ rateLimit: { scope: "org" } }, /rateLimit\.scope must be "client" or "route-group" \(got "org"\)/],
      [{ breaker: { routeGroup: "users" } }, /breaker\.routeGroup must be a function/],
      [{ timeout: { attemptMs: Number.NaN } }, /timeout\.attemptMs/],
      [{ retry: 5 }, /retry must be an object or false \(got 5\)/],
      [{ retry: { shouldRetry: true } }, /retry\.shouldRetry must be a function/],
      [{ breaker: { failureRate: 1 } }, /breaker\.failureRate must be a number between 0 and 1/],
      [{ breaker: { minimumRps: 0 } }, /breaker\.minimumRps must be a number > 0/],
      [{ policy: { retry: 3 } }, /policy must be a cockatiel policy/],
      [{ replaceBuiltIns: "all" }, /replaceBuiltIns must be a cockatiel policy/],
    ];
    for (const [resilience, message] of bad) {
      expect(() => createGenesysClient({ resilience: resilience as never })).toThrow(ConfigurationError);
      expect(() => createGenesysClient({ resilience: resilience as never })).toThrow(message);
    }
    const client = resolveResilience({});
    expect(() => resolveCall(client, { maxAttempts: -2 })).toThrow(/maxAttempts must be an integer ≥ 1 \(got -2\)/);
    expect(() => resolveCall(client, { timeoutMs: 0 })).toThrow(/timeoutMs must be a number of ms > 0/);
    expect(() => resolveCall(client, { idempotent: "yes" as never })).toThrow(/idempotent must be a boolean/);
  });
});
