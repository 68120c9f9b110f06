// Client and per-call options → the settings one call runs with. Bad values throw a ConfigurationError naming the option.
import type { IPolicy } from "cockatiel";
import { ConfigurationError } from "../errors.js";
import {
  ABOVE_0,
  checkBoolean,
  checkFunction,
  checkNumber,
  checkSection,
  definedOnly,
  INTEGER_AT_LEAST_0_OR_INFINITY,
  INTEGER_AT_LEAST_1,
  MS_ABOVE_0,
  MS_AT_LEAST_0,
  SHARE,
  show,
} from "../validate.js";
import { DEFAULT_BREAKER, DEFAULT_BULKHEAD, DEFAULT_RATE_LIMIT, DEFAULT_RETRY, DEFAULT_TIMEOUT } from "./defaults.js";
import { keyWindowMs } from "./retry-after.js";
import type { KnownLimit } from "./rate-limit/types.js";
import type { CallResilienceOptions, ResilienceOptions, RetryOptions } from "./types.js";

export type ResolvedRetry = typeof DEFAULT_RETRY;
export type ResolvedRateLimit = typeof DEFAULT_RATE_LIMIT;
export type ResolvedBreaker = typeof DEFAULT_BREAKER;
export type ResolvedBulkhead = typeof DEFAULT_BULKHEAD;
export type ResolvedTimeout = typeof DEFAULT_TIMEOUT;

export interface ResolvedResilience {
  retry: ResolvedRetry | false;
  rateLimit: ResolvedRateLimit | false;
  breaker: ResolvedBreaker | false;
  bulkhead: ResolvedBulkhead | false;
  timeout: ResolvedTimeout | false;
  policy: IPolicy | undefined;
  replaceBuiltIns: IPolicy | undefined;
}

/** What one call runs with, after its overrides. */
export interface CallSettings {
  retry: ResolvedRetry;
  idempotent: boolean | undefined;
  attemptMs: number | undefined;
  totalMs: number | undefined;
  /** User policies, outermost first: the call's, then the client's. */
  policies: IPolicy[];
  replaceBuiltIns: IPolicy | undefined;
}

const PREFIX = "resilience option";

function checkRetry(r: RetryOptions): void {
  checkNumber(`${PREFIX} retry.maxAttempts`, r.maxAttempts, INTEGER_AT_LEAST_1);
  for (const key of ["baseDelayMs", "maxDelayMs", "maxRetryAfterMs", "retryAfterJitterMs", "budgetMs"] as const)
    checkNumber(`${PREFIX} retry.${key}`, r[key], MS_AT_LEAST_0);
  checkBoolean(`${PREFIX} retry.retryOn500`, r.retryOn500);
  checkFunction(`${PREFIX} retry.shouldRetry`, r.shouldRetry, "outcome → true, false or undefined");
}

function checkPolicy(name: string, value: unknown): IPolicy | undefined {
  if (value === undefined) return undefined;
  if (!value || typeof (value as IPolicy).execute !== "function") {
    throw new ConfigurationError(`${PREFIX} ${name} must be a cockatiel policy (an object with execute(fn, signal)), got ${show(value)}`);
  }
  return value as IPolicy;
}

export function resolveResilience(options: ResilienceOptions | undefined): ResolvedResilience {
  const o = checkSection("resilience", options ?? {}) || {};
  const retry = checkSection(`${PREFIX} retry`, o.retry);
  const rateLimit = checkSection(`${PREFIX} rateLimit`, o.rateLimit);
  const breaker = checkSection(`${PREFIX} breaker`, o.breaker);
  const bulkhead = checkSection(`${PREFIX} bulkhead`, o.bulkhead);
  const timeout = checkSection(`${PREFIX} timeout`, o.timeout);
  if (retry) checkRetry(retry);
  if (rateLimit) {
    checkBoolean(`${PREFIX} rateLimit.adaptive`, rateLimit.adaptive);
    checkBoolean(`${PREFIX} rateLimit.useHeaders`, rateLimit.useHeaders);
    checkNumber(`${PREFIX} rateLimit.requestsPerSecond`, rateLimit.requestsPerSecond, ABOVE_0);
    checkNumber(`${PREFIX} rateLimit.burst`, rateLimit.burst, INTEGER_AT_LEAST_1);
    if (rateLimit.scope !== undefined && rateLimit.scope !== "client" && rateLimit.scope !== "route-group") {
      throw new ConfigurationError(`${PREFIX} rateLimit.scope must be "client" or "route-group" (got ${show(rateLimit.scope)})`);
    }
    if (rateLimit.assumeTokenLimit !== false)
      checkNumber(`${PREFIX} rateLimit.assumeTokenLimit`, rateLimit.assumeTokenLimit, { ...INTEGER_AT_LEAST_1, text: "an integer ≥ 1 or false" });
    checkNumber(`${PREFIX} rateLimit.sharingTimeoutMs`, rateLimit.sharingTimeoutMs, MS_ABOVE_0);
    checkLimits(rateLimit.limits);
    const sharing = rateLimit.sharing as Partial<Record<string, unknown>> | undefined;
    if (
      sharing !== undefined &&
      (typeof sharing !== "object" || sharing === null || !["publish", "subscribe", "take"].every((m) => typeof sharing[m] === "function"))
    ) {
      throw new ConfigurationError(`${PREFIX} rateLimit.sharing must implement LimitSharing (publish, subscribe, take)`);
    }
  }
  if (breaker) {
    checkNumber(`${PREFIX} breaker.failureRate`, breaker.failureRate, SHARE);
    checkNumber(`${PREFIX} breaker.samplingMs`, breaker.samplingMs, MS_ABOVE_0);
    checkNumber(`${PREFIX} breaker.minimumRps`, breaker.minimumRps, ABOVE_0);
    checkNumber(`${PREFIX} breaker.consecutiveFailures`, breaker.consecutiveFailures, INTEGER_AT_LEAST_1);
    checkNumber(`${PREFIX} breaker.halfOpenAfterMs`, breaker.halfOpenAfterMs, MS_AT_LEAST_0);
    checkNumber(`${PREFIX} breaker.maxHalfOpenAfterMs`, breaker.maxHalfOpenAfterMs, MS_AT_LEAST_0);
    checkFunction(`${PREFIX} breaker.routeGroup`, breaker.routeGroup, "path template → group name");
  }
  if (bulkhead) {
    checkNumber(`${PREFIX} bulkhead.maxConcurrent`, bulkhead.maxConcurrent, INTEGER_AT_LEAST_1);
    checkNumber(`${PREFIX} bulkhead.maxQueued`, bulkhead.maxQueued, INTEGER_AT_LEAST_0_OR_INFINITY);
  }
  if (timeout) {
    checkNumber(`${PREFIX} timeout.attemptMs`, timeout.attemptMs, MS_ABOVE_0);
    checkNumber(`${PREFIX} timeout.totalMs`, timeout.totalMs, MS_ABOVE_0);
  }
  const merge = <T extends object>(defaults: T, value: Partial<T> | false | undefined): T | false =>
    value === false ? false : { ...defaults, ...definedOnly(value) };
  return {
    retry: merge(DEFAULT_RETRY, retry),
    rateLimit: merge(DEFAULT_RATE_LIMIT, rateLimit),
    breaker: merge(DEFAULT_BREAKER, breaker),
    bulkhead: merge(DEFAULT_BULKHEAD, bulkhead),
    timeout: merge(DEFAULT_TIMEOUT, timeout as Partial<ResolvedTimeout> | false | undefined),
    policy: checkPolicy("policy", o.policy),
    replaceBuiltIns: checkPolicy("replaceBuiltIns", o.replaceBuiltIns),
  };
}

/** The settings of a client without a resilience pipeline (`resilience: false`): one attempt, no timeouts. */
export const UNPROTECTED: ResolvedResilience = {
  retry: false,
  rateLimit: false,
  breaker: false,
  bulkhead: false,
  timeout: false,
  policy: undefined,
  replaceBuiltIns: undefined,
};

/** A client's pipeline settings, checked: `false` turns every built-in stage off (your own policies still apply). */
export function resolvePipeline(options: ResilienceOptions | false): ResolvedResilience {
  return options === false ? { ...UNPROTECTED } : resolveResilience(options);
}

/** The client's settings with one call's overrides applied. */
export function resolveCall(client: ResolvedResilience, call: CallResilienceOptions | undefined): CallSettings {
  const c = checkSection("per-call resilience", call) || {};
  const retryOverride = checkSection(`${PREFIX} retry`, c.retry);
  if (retryOverride) checkRetry(retryOverride);
  checkNumber(`${PREFIX} maxAttempts`, c.maxAttempts, INTEGER_AT_LEAST_1);
  checkNumber(`${PREFIX} timeoutMs`, c.timeoutMs, MS_ABOVE_0);
  checkNumber(`${PREFIX} deadlineMs`, c.deadlineMs, MS_ABOVE_0);
  checkBoolean(`${PREFIX} idempotent`, c.idempotent);
  const callPolicy = checkPolicy("policy", c.policy);
  const base = client.retry || { ...DEFAULT_RETRY, maxAttempts: 1 };
  let retry: ResolvedRetry = retryOverride === false ? { ...base, maxAttempts: 1 } : { ...base, ...definedOnly(retryOverride) };
  if (c.maxAttempts !== undefined && retryOverride !== false) retry = { ...retry, maxAttempts: c.maxAttempts };
  return {
    retry,
    idempotent: c.idempotent,
    attemptMs: c.timeoutMs ?? (client.timeout ? client.timeout.attemptMs : undefined),
    totalMs: c.deadlineMs ?? (client.timeout ? client.timeout.totalMs : undefined),
    policies: [callPolicy, client.policy].filter((p): p is IPolicy => p !== undefined),
    replaceBuiltIns: checkPolicy("replaceBuiltIns", c.replaceBuiltIns) ?? client.replaceBuiltIns,
  };
}

function checkLimits(limits: unknown): void {
  if (limits === undefined) return;
  if (!Array.isArray(limits)) throw new ConfigurationError(`${PREFIX} rateLimit.limits must be an array of { key, namespace?, value } (got ${show(limits)})`);
  limits.forEach((limit: Partial<KnownLimit> | null, i) => {
    const at = `rateLimit.limits[${i}]`;
    if (!limit || typeof limit !== "object") throw new ConfigurationError(`${PREFIX} ${at} must be an object { key, namespace?, value }`);
    if (typeof limit.key !== "string" || keyWindowMs(limit.key) === undefined) {
      throw new ConfigurationError(
        `${PREFIX} ${at}.key must name a rate per second, minute, hour or day (e.g. "token.rate.per.minute"; got ${show(limit.key)})`,
      );
    }
    checkNumber(`${PREFIX} ${at}.value`, limit.value ?? null, INTEGER_AT_LEAST_1);
    if (limit.namespace !== undefined && (typeof limit.namespace !== "string" || limit.namespace === ""))
      throw new ConfigurationError(`${PREFIX} ${at}.namespace must be a non-empty string`);
    if (limit.routeGroups !== undefined && !(Array.isArray(limit.routeGroups) && limit.routeGroups.every((g) => typeof g === "string" && g !== ""))) {
      throw new ConfigurationError(`${PREFIX} ${at}.routeGroups must be an array of route group names`);
    }
  });
}
