// Which outcomes are retried, which count against a circuit, and how long the waits are.
import { describe, expect, it } from "vitest";
import { NetworkError, TimeoutError } from "../../src/errors.js";
import { decorrelatedJitterBackoff, jitteredRetryAfter } from "../../src/resilience/backoff.js";
import { retryAfterMs } from "../../src/resilience/retry-after.js";
import { isBreakerFailure, isNetworkFailure, networkErrorCode, retryReason, type AttemptOutcome } from "../../src/resilience/retry-rules.js";

const op = { method: "GET", path: "/api/v2/users/{userId}" };
const answer = (status: number): AttemptOutcome => ({ response: new Response(null, { status }) });
const network: AttemptOutcome = { error: new NetworkError("reset", op, "ECONNRESET", true) };
const refused: AttemptOutcome = { error: new NetworkError("refused", op, "ECONNREFUSED", false) };
const bug: AttemptOutcome = { error: new TypeError('Headers.append: "x\\ny" is an invalid header value.') };
const timedOut: AttemptOutcome = { error: new TimeoutError("attempt", 100, op) };
const deadline: AttemptOutcome = { error: new TimeoutError("total", 100, op) };
const aborted: AttemptOutcome = { error: new DOMException("aborted", "AbortError") };

describe("retryReason", () => {
  const rules = (method: string, idempotent?: boolean, retryOn500 = false) => ({ method, idempotent, retryOn500 });

  it("retries 429 for every method: the request was not processed", () => {
    for (const method of ["GET", "POST", "PATCH", "DELETE"]) expect(retryReason(answer(429), rules(method))).toBe("rate-limited");
  });

  it("retries 502/503/504, network errors and attempt timeouts only when repeating is safe", () => {
    for (const method of ["GET", "HEAD", "OPTIONS", "PUT", "DELETE", "get"]) {
      for (const status of [502, 503, 504]) expect(retryReason(answer(status), rules(method))).toBe("server-error");
      expect(retryReason(network, rules(method))).toBe("network-error");
      expect(retryReason(timedOut, rules(method))).toBe("timeout");
    }
    for (const method of ["POST", "PATCH"]) {
      for (const outcome of [answer(502), answer(503), answer(504), network, timedOut]) expect(retryReason(outcome, rules(method))).toBeUndefined();
      expect(retryReason(answer(503), rules(method, true))).toBe("server-error");
      expect(retryReason(network, rules(method, true))).toBe("network-error");
      expect(retryReason(timedOut, rules(method, true))).toBe("timeout");
    }
    // A call may also declare a GET unsafe to repeat.
    expect(retryReason(answer(503), rules("GET", false))).toBeUndefined();
    // A connection that could not be made carried no request: safe for a POST too.
    expect(retryReason(refused, rules("POST"))).toBe("network-error");
  });

  it("a deterministic TypeError (invalid header, bad method) is neither retried nor a circuit failure", () => {
    expect(retryReason(bug, rules("GET"))).toBeUndefined();
    expect(isBreakerFailure(bug)).toBe(false);
  });

  it("never retries other 4xx, successes, caller aborts or the total deadline; 500 only when asked and safe", () => {
    for (const status of [200, 201, 204, 400, 401, 403, 404, 409, 422]) expect(retryReason(answer(status), rules("GET"))).toBeUndefined();
    expect(retryReason(aborted, rules("GET"))).toBeUndefined();
    expect(retryReason(deadline, rules("GET"))).toBeUndefined();
    expect(retryReason({ error: new Error("bug") }, rules("GET"))).toBeUndefined();
    expect(retryReason(answer(500), rules("GET"))).toBeUndefined();
    expect(retryReason(answer(500), rules("GET", undefined, true))).toBe("server-error");
    expect(retryReason(answer(500), rules("POST", undefined, true))).toBeUndefined();
  });
});

describe("isBreakerFailure", () => {
  it("counts 5xx, network errors and attempt timeouts; never 429, other 4xx or aborts", () => {
    for (const status of [500, 502, 503, 504]) expect(isBreakerFailure(answer(status))).toBe(true);
    expect(isBreakerFailure(network)).toBe(true);
    expect(isBreakerFailure(timedOut)).toBe(true);
    for (const status of [200, 400, 404, 429]) expect(isBreakerFailure(answer(status))).toBe(false);
    expect(isBreakerFailure(aborted)).toBe(false);
    expect(isBreakerFailure(deadline)).toBe(false);
  });
});

describe("network failures, by code", () => {
  it("tells network failures from bugs by the error's (nested) code or a browser's network message", () => {
    const undici = (code: string) => new TypeError("fetch failed", { cause: Object.assign(new Error("x"), { code }) });
    for (const code of ["ECONNREFUSED", "ECONNRESET", "UND_ERR_SOCKET", "ENOTFOUND", "ETIMEDOUT"]) expect(networkErrorCode(undici(code))).toBe(code);
    expect(networkErrorCode(new TypeError("fetch failed", { cause: new AggregateError([Object.assign(new Error("v6"), { code: "ECONNREFUSED" })]) }))).toBe(
      "ECONNREFUSED",
    );
    expect(isNetworkFailure(new TypeError("terminated", { cause: Object.assign(new Error("other side closed"), { code: "UND_ERR_SOCKET" }) }))).toBe(true);
    for (const message of ["Failed to fetch", "NetworkError when attempting to fetch resource.", "Load failed"])
      expect(isNetworkFailure(new TypeError(message))).toBe(true);
    expect(isNetworkFailure(new TypeError("fetch failed", { cause: new Error("bad port") }))).toBe(false);
    expect(isNetworkFailure(new TypeError("Cannot perform ArrayBuffer.prototype.slice on a detached ArrayBuffer"))).toBe(false);
    expect(isNetworkFailure(new TypeError("'GE T' is not a valid HTTP method."))).toBe(false);
  });
});

describe("waits", () => {
  it("reads Retry-After as seconds or as an HTTP-date", () => {
    const now = Date.parse("2025-01-01T00:00:00Z");
    expect(retryAfterMs(new Headers({ "retry-after": "3" }), undefined, now)).toBe(3000);
    expect(retryAfterMs(new Headers({ "retry-after": "0.5" }), undefined, now)).toBe(500);
    expect(retryAfterMs(new Headers({ "retry-after": "Wed, 01 Jan 2025 00:00:07 GMT" }), undefined, now)).toBe(7000);
    expect(retryAfterMs(new Headers({ "retry-after": "Tue, 31 Dec 2024 23:00:00 GMT" }), undefined, now)).toBe(0);
    expect(retryAfterMs(new Headers({ "retry-after": "soon" }), undefined, now)).toBeUndefined();
    expect(retryAfterMs(new Headers(), undefined, now)).toBeUndefined();
  });

  it("adds a jitter in [0, jitterMs) to Retry-After", () => {
    expect(jitteredRetryAfter(1000, 500, () => 0)).toBe(1000);
    expect(jitteredRetryAfter(1000, 500, () => 0.999)).toBe(1499);
    expect(jitteredRetryAfter(1000, 0, () => 0.5)).toBe(1000);
    const spread = new Set(Array.from({ length: 50 }, () => jitteredRetryAfter(1000, 500)));
    expect(spread.size).toBeGreaterThan(20);
  });

  it("backs off with decorrelated jitter: bounded, growing, different for each caller", () => {
    const runs = Array.from({ length: 200 }, () => {
      const b = decorrelatedJitterBackoff(100, 2_000);
      return Array.from({ length: 6 }, () => b.next());
    });
    const all = runs.flat();
    expect(Math.min(...all)).toBeGreaterThanOrEqual(0);
    expect(Math.max(...all)).toBeLessThanOrEqual(2_000);
    const mean = (i: number) => runs.reduce((s, r) => s + r[i], 0) / runs.length;
    expect(mean(0)).toBeGreaterThan(30);
    expect(mean(0)).toBeLessThan(200);
    expect(mean(3)).toBeGreaterThan(mean(0) * 3);
    expect(new Set(runs.map((r) => r[0])).size).toBeGreaterThan(60);
  });
});
