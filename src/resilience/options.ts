// Client and per-call options → the settings one call runs with. Bad values throw a ConfigurationError naming the option.
import { ConfigurationError } from "../errors.js";
import { DEFAULT_BREAKER, DEFAULT_BULKHEAD, DEFAULT_RATE_LIMIT, DEFAULT_RETRY, DEFAULT_TIMEOUT } from "./defaults.js";
import { keyWindowMs } from "./retry-after.js";
import type { KnownLimit } from "./rate-limit/types.js";
import type { BreakerOptions, BulkheadOptions, CallResilienceOptions, RateLimitOptions, ResilienceOptions, RetryOptions, TimeoutOptions } from "./types.js";

export type ResolvedRetry = Required<RetryOptions>;
export type ResolvedRateLimit = typeof DEFAULT_RATE_LIMIT;
export type ResolvedBreaker = Required<BreakerOptions>;
export type ResolvedBulkhead = Required<BulkheadOptions>;
export type ResolvedTimeout = typeof DEFAULT_TIMEOUT;

export interface ResolvedResilience {
  retry: ResolvedRetry | false;
  rateLimit: ResolvedRateLimit | false;
  breaker: ResolvedBreaker | false;
  bulkhead: ResolvedBulkhead | false;
  timeout: ResolvedTimeout | false;
}

/** What one call runs with, after its overrides. */
export interface CallSettings {
  retry: ResolvedRetry;
  idempotent: boolean | undefined;
  attemptMs: number | undefined;
  totalMs: number | undefined;
}

const show = (v: unknown) => (typeof v === "string" ? JSON.stringify(v) : String(v));

function check(name: string, value: unknown, ok: (v: number) => boolean, rule: string): void {
  if (value === undefined) return;
  if (typeof value !== "number" || Number.isNaN(value) || !ok(value)) {
    throw new ConfigurationError(`resilience option ${name} must be ${rule} (got ${show(value)})`);
  }
}

const positiveInt = (v: number) => Number.isInteger(v) && v >= 1;
const nonNegative = (v: number) => v >= 0;
const positive = (v: number) => v > 0;

function section<T extends object>(name: string, value: T | false | undefined): T | false | undefined {
  if (value === undefined || value === false) return value;
  if (typeof value !== "object" || value === null) throw new ConfigurationError(`resilience option ${name} must be an object or false (got ${show(value)})`);
  return value;
}

function checkRetry(prefix: string, r: RetryOptions): void {
  check(`${prefix}.maxAttempts`, r.maxAttempts, positiveInt, "an integer ≥ 1");
  check(`${prefix}.baseDelayMs`, r.baseDelayMs, nonNegative, "a number of ms ≥ 0");
  check(`${prefix}.maxDelayMs`, r.maxDelayMs, nonNegative, "a number of ms ≥ 0");
  check(`${prefix}.maxRetryAfterMs`, r.maxRetryAfterMs, nonNegative, "a number of ms ≥ 0");
  check(`${prefix}.retryAfterJitterMs`, r.retryAfterJitterMs, nonNegative, "a number of ms ≥ 0");
  check(`${prefix}.budgetMs`, r.budgetMs, nonNegative, "a number of ms ≥ 0");
}

export function resolveResilience(options: ResilienceOptions | undefined): ResolvedResilience {
  const o = section("resilience", options ?? {}) || {};
  const retry = section("retry", o.retry);
  const rateLimit = section("rateLimit", o.rateLimit);
  const breaker = section("breaker", o.breaker);
  const bulkhead = section("bulkhead", o.bulkhead);
  const timeout = section("timeout", o.timeout);
  if (retry) checkRetry("retry", retry);
  if (rateLimit) {
    check("rateLimit.requestsPerSecond", rateLimit.requestsPerSecond, positive, "a number > 0");
    check("rateLimit.burst", rateLimit.burst, positiveInt, "an integer ≥ 1");
    if (rateLimit.scope !== undefined && rateLimit.scope !== "client" && rateLimit.scope !== "route-group") {
      throw new ConfigurationError(`resilience option rateLimit.scope must be "client" or "route-group" (got ${show(rateLimit.scope)})`);
    }
    if (rateLimit.assumeTokenLimit !== false) check("rateLimit.assumeTokenLimit", rateLimit.assumeTokenLimit, positiveInt, "an integer ≥ 1 or false");
    check("rateLimit.sharingTimeoutMs", rateLimit.sharingTimeoutMs, positive, "a number of ms > 0");
    checkLimits(rateLimit.limits);
    const sharing = rateLimit.sharing as Partial<Record<string, unknown>> | undefined;
    if (sharing !== undefined && (typeof sharing !== "object" || sharing === null || !["publish", "subscribe", "take"].every((m) => typeof sharing[m] === "function"))) {
      throw new ConfigurationError("resilience option rateLimit.sharing must implement LimitSharing (publish, subscribe, take)");
    }
  }
  if (breaker) {
    check("breaker.consecutiveFailures", breaker.consecutiveFailures, positiveInt, "an integer ≥ 1");
    check("breaker.halfOpenAfterMs", breaker.halfOpenAfterMs, nonNegative, "a number of ms ≥ 0");
    if (breaker.routeGroup !== undefined && typeof breaker.routeGroup !== "function") {
      throw new ConfigurationError("resilience option breaker.routeGroup must be a function (path template → group name)");
    }
  }
  if (bulkhead) {
    check("bulkhead.maxConcurrent", bulkhead.maxConcurrent, positiveInt, "an integer ≥ 1");
    check("bulkhead.maxQueued", bulkhead.maxQueued, (v) => v === Infinity || (Number.isInteger(v) && v >= 0), "an integer ≥ 0 or Infinity");
  }
  if (timeout) {
    check("timeout.attemptMs", timeout.attemptMs, positive, "a number of ms > 0");
    check("timeout.totalMs", timeout.totalMs, positive, "a number of ms > 0");
  }
  const merge = <T extends object>(defaults: T, value: Partial<T> | false | undefined): T | false =>
    value === false ? false : { ...defaults, ...definedOnly(value ?? {}) };
  return {
    retry: merge(DEFAULT_RETRY, retry),
    rateLimit: merge(DEFAULT_RATE_LIMIT, rateLimit),
    breaker: merge(DEFAULT_BREAKER, breaker),
    bulkhead: merge(DEFAULT_BULKHEAD, bulkhead),
    timeout: merge(DEFAULT_TIMEOUT, timeout as Partial<ResolvedTimeout> | false | undefined),
  };
}

/** The client's settings with one call's overrides applied. */
export function resolveCall(client: ResolvedResilience, call: CallResilienceOptions | undefined): CallSettings {
  const c = section("per-call resilience", call) || {};
  const retryOverride = section("per-call retry", c.retry);
  if (retryOverride) checkRetry("retry", retryOverride);
  check("maxAttempts", c.maxAttempts, positiveInt, "an integer ≥ 1");
  check("timeoutMs", c.timeoutMs, positive, "a number of ms > 0");
  check("deadlineMs", c.deadlineMs, positive, "a number of ms > 0");
  if (c.idempotent !== undefined && typeof c.idempotent !== "boolean") throw new ConfigurationError(`resilience option idempotent must be a boolean (got ${show(c.idempotent)})`);
  const base = client.retry || { ...DEFAULT_RETRY, maxAttempts: 1 };
  let retry: ResolvedRetry = retryOverride === false ? { ...base, maxAttempts: 1 } : { ...base, ...definedOnly(retryOverride ?? {}) };
  if (c.maxAttempts !== undefined && retryOverride !== false) retry = { ...retry, maxAttempts: c.maxAttempts };
  return {
    retry,
    idempotent: c.idempotent,
    attemptMs: c.timeoutMs ?? (client.timeout ? client.timeout.attemptMs : undefined),
    totalMs: c.deadlineMs ?? (client.timeout ? client.timeout.totalMs : undefined),
  };
}

function checkLimits(limits: unknown): void {
  if (limits === undefined) return;
  if (!Array.isArray(limits)) throw new ConfigurationError(`resilience option rateLimit.limits must be an array of { key, namespace?, value } (got ${show(limits)})`);
  limits.forEach((limit: Partial<KnownLimit> | null, i) => {
    const at = `rateLimit.limits[${i}]`;
    if (!limit || typeof limit !== "object") throw new ConfigurationError(`resilience option ${at} must be an object { key, namespace?, value }`);
    if (typeof limit.key !== "string" || keyWindowMs(limit.key) === undefined) {
      throw new ConfigurationError(`resilience option ${at}.key must name a rate per second, minute, hour or day (e.g. "token.rate.per.minute"; got ${show(limit.key)})`);
    }
    check(`${at}.value`, limit.value, positiveInt, "an integer ≥ 1");
    if (limit.namespace !== undefined && (typeof limit.namespace !== "string" || limit.namespace === "")) throw new ConfigurationError(`resilience option ${at}.namespace must be a non-empty string`);
    if (limit.routeGroups !== undefined && !(Array.isArray(limit.routeGroups) && limit.routeGroups.every((g) => typeof g === "string" && g !== ""))) {
      throw new ConfigurationError(`resilience option ${at}.routeGroups must be an array of route group names`);
    }
  });
}

function definedOnly<T extends object>(value: T): Partial<T> {
  return Object.fromEntries(Object.entries(value).filter(([, v]) => v !== undefined)) as Partial<T>;
}
