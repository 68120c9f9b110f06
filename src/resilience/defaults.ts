// Every default of the resilience pipeline, and why it is what it is. The README's "Resilience" table mirrors this file.
import type { BreakerOptions, BulkheadOptions, RateLimitOptions, RetryOptions, TimeoutOptions } from "./types.js";

export const DEFAULT_RETRY: Required<Omit<RetryOptions, "shouldRetry">> & Pick<RetryOptions, "shouldRetry"> = {
  // 1 try + 4 retries: enough to ride out a 429 wave or a short 5xx blip, few enough that a broken call ends in
  // seconds, not minutes (the official SDKs also stop at a handful).
  maxAttempts: 5,
  // Decorrelated jitter from 250 ms: first retry after ~0.25–0.75 s, then growing ~×3 at random, so failing callers
  // spread out instead of retrying in step.
  baseDelayMs: 250,
  // A 5xx storm longer than ~10 s is the circuit breaker's job, not a reason for single calls to sleep longer.
  maxDelayMs: 10_000,
  // Genesys's per-token limits are per minute ("300 requests within 60 seconds"), so a legitimate Retry-After is
  // ≤ 60 s (61 with rounding). 90 s allows that plus clock skew of an HTTP-date; anything longer is an hourly/daily
  // limit or a penalty, where sleeping inside a call is wrong: fail at once with a clear error and let the caller
  // reschedule. The official Java/Go SDKs wait up to 180 s, which makes a call look hung for three minutes.
  maxRetryAfterMs: 90_000,
  // Spreads the return of callers throttled together; the shared rate limiter paces the rest, so more only delays
  // them: in simulated time (bench/limiter-sim.ts, 15 seeds) a fixed window 200 per 1 s took 1.14 × its floor with
  // 500, 1.06 × with 100 (token buckets and 300 per 60 s: no difference).
  retryAfterJitterMs: 100,
  // Two full 60-s windows of waiting in one call; past that the caller should hear about it.
  budgetMs: 120_000,
  // Genesys answers 500 for bugs and bad input far more often than for transient trouble.
  retryOn500: false,
  shouldRetry: undefined,
};

export const DEFAULT_RATE_LIMIT: Required<Omit<RateLimitOptions, "requestsPerSecond" | "sharing">> & Pick<RateLimitOptions, "requestsPerSecond" | "sharing"> = {
  adaptive: true,
  // Genesys stopped sending inin-ratelimit-* in 2021, but proxies, the simulator and some regions still do; when
  // present they let us pace before the first 429 instead of after it.
  useHeaders: true,
  // None: the pace is learned from the server (headers, 429s). A fixed cap is for callers who know their budget.
  requestsPerSecond: undefined,
  burst: 1,
  // Genesys counts its limits per OAuth token, i.e. per client: a 429 on one route means every route must wait.
  scope: "client",
  // Genesys's documented default per token: 300 requests per 60 s. Assuming it costs nothing where it is wrong (a
  // tighter limit answers 429 sooner and is learned; a looser one is proven by the 301st success), and where it is
  // right it saves the opening wave of 429s (up to one per slot of the bulkhead) and finds the window's end at once.
  assumeTokenLimit: 300,
  // Nothing known up front: limits are learned from answers (429 bodies name them since 2023).
  limits: [],
  sharing: undefined,
  // A Redis round trip is ~1 ms; 50 ms means "down or overloaded": go on alone rather than slow every call.
  sharingTimeoutMs: 50,
};

export const DEFAULT_BREAKER: Required<Omit<BreakerOptions, "consecutiveFailures">> & Pick<BreakerOptions, "consecutiveFailures"> = {
  // By failure rate over a window (cockatiel's SamplingBreaker), not by a streak: a streak of ten opens on one
  // burst of concurrent calls that all meet the same brief blip, while half of ten seconds' attempts failing is
  // an outage. The circuit is there to spare a struggling service the load, not to judge single calls — those
  // have retries.
  failureRate: 0.5,
  // Ten 1-s buckets: long enough to see a pattern, short enough that an old storm stops counting soon.
  samplingMs: 10_000,
  // 5 attempts/s (50 in the window) before it may open at all: below that the retry backoff already keeps the
  // load on a failing service small, and a circuit judged on a handful of attempts opens on bad luck.
  minimumRps: 5,
  consecutiveFailures: undefined,
  // The first probe soon (most blips last a second or two: a 503 storm, a deploy), then doubling after each failed
  // probe up to 30 s, so a long outage sees one probe every half minute, not one every second. Calls
  // that can wait are held meanwhile (up to their retry budget) rather than failed.
  halfOpenAfterMs: 1_000,
  maxHalfOpenAfterMs: 30_000,
  routeGroup: defaultRouteGroup,
};

export const DEFAULT_BULKHEAD: Required<BulkheadOptions> = {
  // Users report trouble from ~50 concurrent calls per org. 32 stays well under that (leaving room for other
  // processes of the same org) and, by Little's law, still sustains 32 ÷ latency requests/s — 320 req/s at 100 ms,
  // far above any per-token Genesys limit — so it never caps goodput.
  maxConcurrent: 32,
  // Unbounded: queued calls cost a closure each; bound it when callers should be told to back off instead.
  maxQueued: Infinity,
};

export const DEFAULT_TIMEOUT: Required<Omit<TimeoutOptions, "totalMs">> & Pick<TimeoutOptions, "totalMs"> = {
  // As the official SDK: long enough for slow analytics queries, short enough to notice a dead connection.
  attemptMs: 16_000,
  // None: a call is bounded by attempts × attemptMs + retry budget; set one when the caller has a deadline.
  totalMs: undefined,
};

/** Route group of a path template: first segment after `/api/v2/` (`/api/v2/users/{userId}` → `users`), else the first segment. */
export function defaultRouteGroup(path: string): string {
  const rest = path.replace(/^\/?api\/v2\//, "").replace(/^\//, "");
  return rest.split(/[/?#]/)[0] || "root";
}
