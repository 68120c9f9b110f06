// Option and seam types of the resilience pipeline. Defaults live in `defaults.ts` (and why they are what they are).
import type { IPolicy } from "cockatiel";
import type { KnownLimit, LearnedLimit, LimitSharing } from "./rate-limit/types.js";

export type { IDisposable, KnownLimit, LearnedLimit, LimitKind, LimitSharing, LimitSource, NamedLimit, PauseEvent, SharedLimitEvent } from "./rate-limit/types.js";

export interface RetryOptions {
  /** Attempts in all, the first included. Default 5. */
  maxAttempts?: number;
  /** First backoff step when there is no `Retry-After` (decorrelated jitter grows from it). Default 250 ms. */
  baseDelayMs?: number;
  /** Largest backoff step (not `Retry-After`). Default 10 s. */
  maxDelayMs?: number;
  /** A `Retry-After` longer than this ends the call at once with `RetryBudgetExceededError` (`retry-after-too-long`). Default 90 s. */
  maxRetryAfterMs?: number;
  /** Random extra wait, uniform in [0, this), added to every `Retry-After` wait so that callers throttled together do not come back together. Default 500 ms. */
  retryAfterJitterMs?: number;
  /** Time spent waiting between attempts, summed over the call; a wait that would pass it is not started and the call gives up. Default 120 s. */
  budgetMs?: number;
  /** Retry 500 (for idempotent methods only). Default false: Genesys 500s are rarely transient. */
  retryOn500?: boolean;
}

export interface RateLimitOptions {
  /**
   * Learn the server's limits from its answers and pace by them: a 429 slows (token bucket) or pauses (fixed
   * window) every caller sharing the limit, as the limit's kind requires.
   * @default true
   */
  adaptive?: boolean;
  /** Use `inin-ratelimit-allowed/count/reset` headers, when the server sends them, to pace before a 429 happens. Default true. */
  useHeaders?: boolean;
  /** A fixed client-side cap in requests per second. Default none (the pace is learned). */
  requestsPerSecond?: number;
  /** Requests that may go at once on top of the pace (token-bucket capacity) when `requestsPerSecond` is set. Default 1. */
  burst?: number;
  /**
   * Who shares one limiter: `"client"` (every call of the client, as Genesys counts its limits per OAuth token) or
   * `"route-group"` (one limiter per route group, for servers that limit per resource). Default `"client"`.
   */
  scope?: "client" | "route-group";
  /**
   * Genesys's documented per-token limit (requests per 60 s), assumed from the start: that many go at once, then one
   * probe; a 429 to it pauses everybody until the window ends, a success (more got through than it allows) drops
   * the assumption. `false` assumes nothing.
   * @default 300
   */
  assumeTokenLimit?: number | false;
  /**
   * Limits known up front, as Genesys names them (`{ key: "user.rate.per.minute", namespace: "directory", value: 180,
   * routeGroups: ["users"] }`): paced from the first call. Keys of `token.*`/`client.*`/`org.*` limit every call;
   * others only their namespace's route groups (given here, or learned from 429 bodies that name the namespace).
   * @default []
   */
  limits?: KnownLimit[];
  /**
   * Shares pauses, learned limits and a fleet-wide pace with other limiters (processes) of the same OAuth client:
   * see `LimitSharing`. The limiter goes on alone whenever a sharing call fails or is slow.
   * @default none
   */
  sharing?: LimitSharing;
  /**
   * Longest wait for one sharing call, in ms; past it the limiter goes on with what it knows.
   * @default 50
   */
  sharingTimeoutMs?: number;
}

export interface BreakerOptions {
  /** Consecutive 5xx/network/timeout failures that open a route group's circuit. Default 10. */
  consecutiveFailures?: number;
  /** How long a circuit stays open before a half-open probe. Default 10 s. */
  halfOpenAfterMs?: number;
  /** Maps a path template to its route group. Default: first segment after `/api/v2/` (`users`, `flows`, …). */
  routeGroup?: (path: string) => string;
}

export interface BulkheadOptions {
  /** Attempts in flight at once, per client. Default 32. */
  maxConcurrent?: number;
  /** Calls waiting for a slot; past it `BulkheadFullError`. Default Infinity. */
  maxQueued?: number;
}

export interface TimeoutOptions {
  /** Per attempt, until the response headers arrive. Default 16 s (as the official SDK). */
  attemptMs?: number;
  /** Whole call until its final response headers, retries and waits included. Default none. */
  totalMs?: number;
}

/** Client-level resilience options: `createGenesysClient({ resilience: { ... } })`. `false` for a policy turns it off. */
export interface ResilienceOptions {
  retry?: RetryOptions | false;
  rateLimit?: RateLimitOptions | false;
  breaker?: BreakerOptions | false;
  bulkhead?: BulkheadOptions | false;
  timeout?: TimeoutOptions | false;
}

/** Per-call overrides: `gc.GET(path, { resilience: { ... } })`. */
export interface CallResilienceOptions {
  /** `false` sends the call once; an object overrides the client's retry options for this call. */
  retry?: RetryOptions | false;
  /** Shorthand for `retry.maxAttempts`. */
  maxAttempts?: number;
  /** Per-attempt timeout for this call, in ms. */
  timeoutMs?: number;
  /** Total deadline for this call, in ms. */
  deadlineMs?: number;
  /** Declares a POST/PATCH safe to retry on 502/503/504, network errors and timeouts. Default: true for GET, HEAD, OPTIONS, PUT, DELETE. */
  idempotent?: boolean;
  /** A cockatiel policy that replaces the whole pipeline for this call: `policy.execute(({ signal }) => attempt(signal), callerSignal)`. */
  policy?: IPolicy;
}

/** What the pipeline knows about one call. */
export interface CallContext {
  method: string;
  /** Path template, e.g. `/api/v2/users/{userId}`. */
  path: string;
  url: string;
  options: CallResilienceOptions | undefined;
  signal: AbortSignal | undefined;
}

/** One network attempt; the signal aborts it (timeout, caller abort). */
export type Attempt = (signal: AbortSignal) => Promise<Response>;

export type BreakerState = "closed" | "open" | "half-open";

export interface ResilienceStats {
  /** Attempts sent and not yet answered. */
  inFlight: number;
  /** Calls waiting for a bulkhead slot or for their turn at the rate limiter. */
  queued: number;
  /** Retries scheduled since the client was created. */
  retries: number;
  /** 429 answers seen since the client was created. */
  rateLimited: number;
  /** Circuit state per route group that has been called. */
  breakers: Record<string, BreakerState>;
  /** Current client-side pace in requests per second (undefined when unpaced). With `scope: "route-group"`, the slowest. */
  pace: number | undefined;
  /** When paused by a 429, the epoch ms at which calls resume. */
  pausedUntil: number | undefined;
  /** What the rate limiter knows about each server limit (kind, pace or window, where it learned it). */
  rateLimits: LearnedLimit[];
}

export interface Pipeline {
  execute(call: CallContext, attempt: Attempt): Promise<Response>;
  stats(): ResilienceStats;
}
