// Option and seam types of the resilience pipeline. Defaults live in `defaults.ts` (and why they are what they are).
import type { RetryReason } from "../events.js";
import type { KnownLimit, LearnedLimit, LimitSharing } from "./rate-limit/types.js";

export type {
  FleetTurn,
  IDisposable,
  KnownLimit,
  LearnedLimit,
  LimitKind,
  LimitSharing,
  LimitSource,
  NamedLimit,
  PauseEvent,
  SharedLimitEvent,
  TurnReport,
} from "./rate-limit/types.js";

export interface RetryOptions {
  /** Attempts in all, the first included. Default 5. */
  maxAttempts?: number;
  /** First backoff step when there is no `Retry-After` (decorrelated jitter grows from it). Default 250 ms. */
  baseDelayMs?: number;
  /** Largest backoff step (not `Retry-After`). Default 10 s. */
  maxDelayMs?: number;
  /** A `Retry-After` longer than this ends the call at once with `RetryBudgetExceededError` (`retry-after-too-long`). Default 90 s. */
  maxRetryAfterMs?: number;
  /** Random extra wait, uniform in [0, this), added to every `Retry-After` wait so that callers throttled together do not come back together. Default 100 ms. */
  retryAfterJitterMs?: number;
  /** Time spent waiting between attempts, summed over the call; a wait that would pass it is not started and the call gives up. Default 120 s. */
  budgetMs?: number;
  /** Retry 500 (for idempotent methods only). Default false: Genesys 500s are rarely transient. */
  retryOn500?: boolean;
  /**
   * Changes which outcomes are retried: return `true` to retry, `false` not to, `undefined` for the SDK's rule
   * (`outcome.retryReason` says what it would do). Called after every failed-looking attempt — also for POSTs:
   * returning `true` for a POST's 503 repeats a request that may have been processed, your call. A retried 429
   * still waits its `Retry-After`; `maxAttempts` and `budgetMs` still bound the call.
   * @default undefined (the SDK's rules)
   */
  shouldRetry?: (outcome: RetryOutcome) => boolean | undefined | Promise<boolean | undefined>;
}

/** What `shouldRetry` is asked about: one attempt's answer or error. */
export interface RetryOutcome {
  /** The attempt that ended (1 = the first). */
  attempt: number;
  method: string;
  /** Path template, e.g. `/api/v2/users/{userId}`. */
  path: string;
  /** Whether repeating the request is safe by the SDK's rules (method, or the call's `idempotent`). */
  idempotent: boolean;
  /** The answer (its body is already read into memory: `response.clone().json()` works), or undefined after an error. */
  response: Response | undefined;
  /** The error (`NetworkError`, `TimeoutError`, …), or undefined when there is an answer. */
  error: unknown;
  /** Why the SDK would retry it, or undefined when it would not. */
  retryReason: RetryReason | undefined;
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
  /**
   * Share of a route group's attempts (0–1, exclusive) that must fail (5xx, network error, attempt timeout) within
   * `samplingMs` to open its circuit.
   * @default 0.5
   */
  failureRate?: number;
  /** The sliding window over which the failure rate is measured, in ms. @default 10_000 */
  samplingMs?: number;
  /** Attempts per second (over `samplingMs`) below which the circuit never opens: too few to judge. @default 5 */
  minimumRps?: number;
  /** Open after this many consecutive failures instead of by failure rate. @default undefined (by failure rate) */
  consecutiveFailures?: number;
  /** How long a circuit first stays open before one probe is let through, in ms; doubles after each failed probe. @default 1_000 */
  halfOpenAfterMs?: number;
  /** Longest wait between probes, in ms. @default 30_000 */
  maxHalfOpenAfterMs?: number;
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
  /** Per attempt, from sending the request until its answer is read (headers and body). Default 16 s (as the official SDK). */
  attemptMs?: number;
  /** Whole call until its final answer is read, retries and waits included. Default none. */
  totalMs?: number;
}

/** Client-level resilience options: `createGenesysClient({ resilience: { ... } })`. `false` for a policy turns it off. */
export interface ResilienceOptions {
  retry?: RetryOptions | false;
  rateLimit?: RateLimitOptions | false;
  breaker?: BreakerOptions | false;
  bulkhead?: BulkheadOptions | false;
  timeout?: TimeoutOptions | false;
  /**
   * Your own cockatiel policy, composed *around* the built-in pipeline of every call of this client:
   * `wrap(policy, builtIns)`. It sees each call's final answer (a `Response`, any status) or error, and when it
   * runs the call again (a retry, a fallback), the run goes through the built-ins again: shared 429 pause, rate
   * limiter, circuit breaker, bulkhead and timeouts still apply.
   * @default undefined
   */
  policy?: CallPolicy;
  /**
   * Replaces the built-in retry, breaker, bulkhead, rate limiter and timeouts for every call with this cockatiel
   * policy (`policy` still composes around it; auth still applies). For callers who bring a whole pipeline of their own.
   * @default undefined (the built-ins)
   */
  replaceBuiltIns?: CallPolicy;
}

/**
 * A cockatiel policy (`IPolicy`: `retry(…)`, `wrap(…)`, …), as the SDK calls it. Structural, so that the public
 * declarations do not load cockatiel's (26 files a consumer's compiler would otherwise parse).
 */
export interface CallPolicy {
  execute<T>(fn: (context: { signal: AbortSignal }) => PromiseLike<T> | T, signal?: AbortSignal): Promise<T>;
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
  /**
   * A cockatiel policy composed around this call's pipeline, outside the client's `policy`:
   * `wrap(callPolicy, clientPolicy, builtIns)`. The built-ins (shared 429 pause, limiter, breaker, bulkhead,
   * timeouts) still apply to every run it makes.
   */
  policy?: CallPolicy;
  /** Replaces the built-ins for this call only (see `ResilienceOptions.replaceBuiltIns`). */
  replaceBuiltIns?: CallPolicy;
}

export type BreakerState = "closed" | "open" | "half-open";

export interface ResilienceStats {
  /** Attempts sent and not yet answered. */
  inFlight: number;
  /** Calls waiting for a bulkhead slot or for their turn at the rate limiter. */
  queued: number;
  /** Calls held at an open circuit, waiting for its probe. */
  held: number;
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
