// Option and seam types of the resilience pipeline. Defaults live in `defaults.ts`.
import type { IPolicy } from "cockatiel";

export interface RetryOptions {
  /** Attempts in all, the first included. Default 5. */
  maxAttempts?: number;
  /** First backoff step when there is no `Retry-After`. Default 250 ms. */
  baseDelayMs?: number;
  /** Largest backoff step (not `Retry-After`). Default 20 s. */
  maxDelayMs?: number;
  /** A `Retry-After` longer than this ends the call with `RetryBudgetExceededError`. Default 60 s. */
  maxRetryAfterMs?: number;
  /** Time spent waiting between attempts, summed over the call; past it the call gives up. Default 120 s. */
  budgetMs?: number;
  /** Retry 500 (for idempotent methods). Default false: Genesys 500s are rarely transient. */
  retryOn500?: boolean;
}

export interface RateLimitOptions {
  /** Follow 429 `Retry-After` for every caller sharing the limit, and pace on resume. Default true. */
  adaptive?: boolean;
  /** Use `inin-ratelimit-*` headers to pace before a 429 happens. Default true. */
  useHeaders?: boolean;
  /** A fixed client-side cap in requests per second (none by default). */
  requestsPerSecond?: number;
}

export interface BreakerOptions {
  /** Consecutive 5xx/network/timeout failures that open a route group's circuit. Default 5. */
  consecutiveFailures?: number;
  /** How long a circuit stays open before a half-open probe. Default 10 s. */
  halfOpenAfterMs?: number;
  /** Maps a path template to its route group. Default: first segment after `/api/v2/`. */
  routeGroup?: (path: string) => string;
}

export interface BulkheadOptions {
  /** Calls in flight at once, per client. Default 32. */
  maxConcurrent?: number;
  /** Calls waiting for a slot; past it `BulkheadFullError`. Default Infinity. */
  maxQueued?: number;
}

export interface TimeoutOptions {
  /** Per attempt. Default 16 s (as the official SDK). */
  attemptMs?: number;
  /** Whole call, retries and waits included. Default none. */
  totalMs?: number;
}

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
  /** Per-attempt timeout for this call. */
  timeoutMs?: number;
  /** Total deadline for this call. */
  deadlineMs?: number;
  /** Declares a POST/PATCH safe to retry on 502/503/504/network errors/timeouts. */
  idempotent?: boolean;
  /** A cockatiel policy that replaces the whole pipeline for this call. */
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

export interface ResilienceStats {
  inFlight: number;
  queued: number;
  retries: number;
  rateLimited: number;
  breakers: Record<string, "closed" | "open" | "half-open">;
  /** Current client-side pace in requests per second (undefined when unpaced). */
  pace: number | undefined;
  /** When paused by a 429, the epoch ms at which calls resume. */
  pausedUntil: number | undefined;
}

export interface Pipeline {
  execute(call: CallContext, attempt: Attempt): Promise<Response>;
  stats(): ResilienceStats;
}
