// The resilience pipeline: what happens around each network attempt of a call.
//
//   total deadline → retry loop → per attempt: [circuit check → bulkhead slot → circuit → rate limiter → attempt timeout → fetch]
//
// Why this order:
//  - The deadline is outermost so it bounds everything, waits included.
//  - The bulkhead guards *attempts*, not whole calls: a call sleeping before a retry (backoff, Retry-After) gives its
//    slot back, so 32 calls backing off from one failing route group cannot starve every other route group. A retry
//    goes ahead of new calls when it wants a slot again, so calls under way finish first.
//  - The circuit is checked before queueing for a slot (an open circuit fails fast, without waiting in line) and
//    again right before sending (it may have opened meanwhile).
//  - The rate limiter is innermost, just before the fetch: a slot-holder waits for its turn, so the moment the
//    limiter lets a request go is the moment it is sent (waiting for a slot after getting a turn would bunch requests).
//  - The attempt timeout covers only the request itself, never the queues.
import { AbortedError, BulkheadFullError, type OperationRef } from "../errors.js";
import type { EventHub } from "../events.js";
import { neverAborted } from "./abort.js";
import { createBreakers } from "./breaker.js";
import { createBulkhead, type Release } from "./bulkhead.js";
import { DEFAULT_RETRY, defaultRouteGroup } from "./defaults.js";
import { resolveCall, resolveResilience, type CallSettings, type ResolvedRateLimit } from "./options.js";
import { createRateLimiter, type RateLimiterConfig } from "./rate-limit/rate-limiter.js";
import type { RateLimiter } from "./rate-limit/types.js";
import { retryAfterMs } from "./retry-after.js";
import { runWithRetry } from "./retry.js";
import { isAttemptTimeout, isNetworkError, type AttemptOutcome } from "./retry-rules.js";
import { withTimeout } from "./timeout.js";
import type { Attempt, CallContext, Pipeline, ResilienceOptions, ResilienceStats } from "./types.js";

export type * from "./types.js";
export { DEFAULT_BREAKER, DEFAULT_BULKHEAD, DEFAULT_RATE_LIMIT, DEFAULT_RETRY, DEFAULT_TIMEOUT, defaultRouteGroup } from "./defaults.js";

/** What an attempt knows of its call: a retry or not, and how long it may still wait. */
interface Turn {
  isRetry: boolean;
  budgetLeftMs: number;
  deadlineAt: number;
}

/** A 429 body that takes longer than this is not waited for (its headers already say when to retry). */
const BODY_READ_MS = 1_000;

/** The JSON body of an answer, read from a clone (the caller still reads the original); undefined when not JSON or slow. */
async function readJson(response: Response): Promise<unknown> {
  const copy = response.clone();
  let timer: ReturnType<typeof setTimeout> | undefined;
  const cut = new Promise<undefined>((resolve) => {
    timer = setTimeout(() => {
      copy.body?.cancel().catch(() => undefined);
      resolve(undefined);
    }, BODY_READ_MS);
    timer.unref?.();
  });
  try {
    return await Promise.race([copy.json().catch(() => undefined), cut]);
  } finally {
    clearTimeout(timer);
  }
}

interface Limiters {
  get(group: string): { limiter: RateLimiter; scope: string };
  all(): RateLimiter[];
}

function createLimiters(config: ResolvedRateLimit | false, maxRetryAfterMs: number, events: EventHub): Limiters | undefined {
  if (!config || (!config.adaptive && config.requestsPerSecond === undefined)) return undefined;
  const { sharing, ...rest } = config;
  const limiterConfig: RateLimiterConfig = { ...rest, maxRetryAfterMs };
  const make = (scope: string) => {
    const limiter = createRateLimiter(limiterConfig, { sharing, scope });
    limiter.onLearned((limit) => events.emit("rateLimitLearned", limit));
    limiter.onPause((pause) => events.emit("rateLimitPause", pause));
    return limiter;
  };
  if (config.scope === "client") {
    const shared = { limiter: make("client"), scope: "client" };
    return { get: () => shared, all: () => [shared.limiter] };
  }
  const byGroup = new Map<string, { limiter: RateLimiter; scope: string }>();
  return {
    get(group) {
      let entry = byGroup.get(group);
      if (!entry) byGroup.set(group, (entry = { limiter: make(group), scope: group }));
      return entry;
    },
    all: () => [...byGroup.values()].map((e) => e.limiter),
  };
}

/** Builds the pipeline of one client. `false` sends each attempt as is (a per-call `policy` still applies). */
export function createPipeline(options: ResilienceOptions | false, events: EventHub): Pipeline {
  const config = options === false ? undefined : resolveResilience(options);
  const bulkheadConfig = config?.bulkhead || undefined;
  const bulkhead = bulkheadConfig ? createBulkhead(bulkheadConfig) : undefined;
  const breakers = config?.breaker ? createBreakers(config.breaker, events) : undefined;
  const groupOf = config?.breaker ? config.breaker.routeGroup : defaultRouteGroup;
  // The default grouping is a pure function of the path template (a few hundred at most): parsed once per path.
  const groups = new Map<string, string>();
  const routeGroup = groupOf !== defaultRouteGroup ? groupOf : (path: string) => {
    let group = groups.get(path);
    if (group === undefined) groups.set(path, (group = defaultRouteGroup(path)));
    return group;
  };
  // Settings of calls without overrides (nearly all): resolved once.
  const plainSettings = config ? resolveCall(config, undefined) : undefined;
  const limiters = config ? createLimiters(config.rateLimit, (config.retry || DEFAULT_RETRY).maxRetryAfterMs, events) : undefined;
  let onNetwork = 0;
  let retries = 0;
  let rateLimited = 0;

  /** One attempt past the rate limiter and the attempt timeout. Informative outcomes are returned, the rest thrown. */
  async function send(signal: AbortSignal, group: string, operation: OperationRef, settings: CallSettings, attempt: Attempt, turn: Turn): Promise<AttemptOutcome> {
    const entry = limiters?.get(group);
    const maxWaitMs = Math.min(turn.budgetLeftMs, turn.deadlineAt - performance.now());
    const request = { routeGroup: group, method: operation.method, path: operation.path, maxWaitMs, isRetry: turn.isRetry };
    const ticket = entry ? await entry.limiter.acquire(request, signal) : undefined;
    let response: Response | undefined;
    onNetwork++;
    try {
      const onTimeout = () => events.emit("timeout", { scope: "attempt", timeoutMs: settings.attemptMs ?? 0, ...operation });
      response = await withTimeout(settings.attemptMs, "attempt", operation, signal, attempt, onTimeout);
      return { response };
    } catch (error) {
      if (signal.aborted) throw error; // caller abort or deadline: says nothing about the service
      if (isAttemptTimeout(error) || isNetworkError(error)) return { error };
      throw error;
    } finally {
      onNetwork--;
      // The 429 body says more than its headers (the wait in its message, the limit's name): read from a clone.
      const body = response?.status === 429 ? await readJson(response) : undefined;
      const verdict = entry && ticket ? entry.limiter.complete(ticket, response && { status: response.status, headers: response.headers, body }) : undefined;
      if (response?.status === 429) {
        rateLimited++;
        const retryAfter = retryAfterMs(response.headers, body) ?? 0;
        events.emit("rateLimited", { retryAfterMs: retryAfter, pausedMs: verdict?.pausedMs ?? 0, scope: verdict?.scope ?? entry?.scope ?? "call", ...operation });
      }
    }
  }

  async function attemptOnce(signal: AbortSignal, operation: OperationRef, settings: CallSettings, attempt: Attempt, turn: Turn): Promise<AttemptOutcome> {
    const { isRetry } = turn;
    const group = routeGroup(operation.path);
    breakers?.check(group, operation);
    let release: Release = () => undefined;
    if (bulkhead && bulkheadConfig) {
      const slot = await bulkhead.acquire(signal, isRetry);
      if (!slot) {
        events.emit("bulkheadReject", { ...operation, queued: bulkhead.queued });
        throw new BulkheadFullError(bulkheadConfig.maxConcurrent, bulkheadConfig.maxQueued, operation);
      }
      release = slot;
    }
    try {
      const run = () => send(signal, group, operation, settings, attempt, turn);
      return breakers ? await breakers.execute(group, operation, run) : await run();
    } finally {
      release();
    }
  }

  async function execute(call: CallContext, attempt: Attempt): Promise<Response> {
    const operation: OperationRef = { method: call.method.toUpperCase(), path: call.path };
    const callerSignal = call.signal ?? neverAborted;
    const policy = call.options?.policy;
    try {
      if (policy) return (await policy.execute(({ signal }) => attempt(signal), callerSignal)) as Response;
      if (!config) return await attempt(callerSignal);
      const settings = call.options === undefined ? plainSettings! : resolveCall(config, call.options);
      const onDeadline = () => events.emit("timeout", { scope: "total", timeoutMs: settings.totalMs ?? 0, ...operation });
      const deadlineAt = settings.totalMs === undefined ? Infinity : performance.now() + settings.totalMs;
      return await withTimeout(settings.totalMs, "total", operation, callerSignal, (signal) =>
        runWithRetry({
          retry: settings.retry,
          idempotent: settings.idempotent,
          operation,
          signal,
          events,
          attempt: (isRetry, budgetLeftMs) => attemptOnce(signal, operation, settings, attempt, { isRetry, budgetLeftMs, deadlineAt }),
          onRetry: () => void retries++,
        }), onDeadline);
    } catch (error) {
      if (callerSignal.aborted && config && !(error instanceof AbortedError)) throw new AbortedError(operation, callerSignal.reason);
      throw error;
    }
  }

  return {
    execute,
    stats(): ResilienceStats {
      const all = (limiters?.all() ?? []).map((l) => l.snapshot());
      const paces = all.map((l) => l.pace).filter((p): p is number => p !== undefined);
      const pauses = all.map((l) => l.pausedUntil).filter((p): p is number => p !== undefined);
      return {
        inFlight: onNetwork,
        queued: (bulkhead?.queued ?? 0) + all.reduce((n, l) => n + l.queued, 0),
        retries,
        rateLimited,
        breakers: breakers?.states() ?? {},
        pace: paces.length ? Math.min(...paces) : undefined,
        pausedUntil: pauses.length ? Math.max(...pauses) : undefined,
        rateLimits: all.flatMap((l) => l.limits),
      };
    },
  };
}
