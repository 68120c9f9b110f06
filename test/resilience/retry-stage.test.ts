// The one retry loop, in simulated time: attempts, waits, the budget, the shouldRetry hook, aborts.
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { NetworkError, RetryBudgetExceededError } from "../../src/errors.js";
import { apiRetryRules } from "../../src/resilience/api-retry.js";
import type { CallState } from "../../src/resilience/call-state.js";
import { RetryStage } from "../../src/resilience/retry-policy.js";
import type { CallResilienceOptions, RetryOutcome } from "../../src/resilience/types.js";
import { never, testCall } from "../support/call-state.js";

beforeEach(() => void vi.useFakeTimers({ toFake: ["setTimeout", "clearTimeout", "Date", "performance"] }));
afterEach(() => void vi.useRealTimers());

const op = { method: "POST", path: "/api/v2/flows/executions" };

function run(call: CallState, answers: (Response | Error)[], signal = never) {
  const stage = new RetryStage(apiRetryRules);
  const delays: number[] = [];
  stage.onRetry((e) => void delays.push(e.delayMs));
  let attempts = 0;
  const result = stage.forCall(call).execute(async () => {
    const next = answers[Math.min(attempts++, answers.length - 1)];
    if (next instanceof Error) throw next;
    return next.clone();
  }, signal);
  return { result, delays, attempts: () => attempts };
}

const status = (s: number, headers: Record<string, string> = {}) => new Response(null, { status: s, headers });
const call = (options: CallResilienceOptions = {}, method = "GET") =>
  testCall({ call: options, method, path: method === "POST" ? op.path : "/api/v2/users/me" });

describe("retry stage", () => {
  it("waits Retry-After plus jitter for a 429, backs off for a 503, and ends with the success", async () => {
    const c = call({ retry: { retryAfterJitterMs: 100 } });
    const { result, delays, attempts } = run(c, [status(429, { "retry-after": "2" }), status(503), status(200)]);
    await vi.runAllTimersAsync();
    expect((await result).status).toBe(200);
    expect(attempts()).toBe(3);
    expect(delays[0]).toBeGreaterThanOrEqual(2_000);
    expect(delays[0]).toBeLessThan(2_100);
    expect(c.waitedMs).toBe(delays[0] + delays[1]);
  });

  it("shouldRetry can retry what the SDK would not (a POST's 503) and stop what it would (a GET's 503)", async () => {
    const seen: RetryOutcome[] = [];
    const yes = call({ retry: { shouldRetry: (o) => (seen.push(o), o.response?.status === 503 ? true : undefined) } }, "POST");
    const a = run(yes, [status(503), status(200)]);
    await vi.runAllTimersAsync();
    expect((await a.result).status).toBe(200);
    expect(seen[0]).toMatchObject({ attempt: 1, method: "POST", idempotent: false, retryReason: undefined });
    const no = call({ retry: { shouldRetry: async () => false } });
    const b = run(no, [status(503), status(200)]);
    await vi.runAllTimersAsync();
    expect((await b.result).status).toBe(503);
    expect(b.attempts()).toBe(1);
  });

  it("past the budget the call ends without the wait; a network error after retries becomes RetryBudgetExceededError", async () => {
    const c = call({ retry: { budgetMs: 1_000 } });
    c.waitedMs = 900; // e.g. held at an open circuit already
    const a = run(c, [status(429, { "retry-after": "1" })]);
    expect((await a.result).status).toBe(429);
    expect(a.delays).toEqual([]);
    const reset = new NetworkError("reset", { method: "GET", path: "/api/v2/users/me" }, "ECONNRESET", true);
    const b = run(call({ maxAttempts: 2 }), [reset]);
    const error = b.result.catch((e: unknown) => e);
    await vi.runAllTimersAsync();
    expect(await error).toBeInstanceOf(RetryBudgetExceededError);
    expect(await error).toMatchObject({ reason: "max-attempts", attempts: 2, cause: reset });
  });

  it("an abort ends the wait before a retry at once, without another attempt", async () => {
    const controller = new AbortController();
    const a = run(call(), [status(429, { "retry-after": "60" })], controller.signal);
    await vi.advanceTimersByTimeAsync(10);
    controller.abort(new Error("caller left"));
    await expect(a.result).rejects.toThrow("caller left");
    expect(a.attempts()).toBe(1);
    expect(vi.getTimerCount()).toBe(0);
  });
});
