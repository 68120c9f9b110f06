// Per-token rate limiting, two models: fixed window (Genesys's "300 requests within 60 seconds") and token bucket.
// State is computed lazily from the clock at each request, so the limiter needs no timer.
import type { FixedWindowLimit, RateLimitModel, TokenBucketLimit } from "./types.js";

export interface LimitDecision {
  allowed: boolean;
  /** Whole seconds to wait (≥ 1), only when not allowed. */
  retryAfter: number | undefined;
  /** `inin-ratelimit-allowed`, `inin-ratelimit-count`, `inin-ratelimit-reset`. */
  headers: Record<string, string>;
}

export interface RateLimiter {
  /** Counts one request for `key` at `nowMs` (a monotonic clock), or refuses it. Refused requests use no quota. */
  take(key: string, nowMs: number): LimitDecision;
}

/** Keys kept before stale ones are swept: clients choosing `Authorization` values must not grow memory for ever. */
const SWEEP_AT = 10_000;

export function createRateLimiter(model: RateLimitModel): RateLimiter {
  return model.model === "fixed-window" ? fixedWindow(model) : tokenBucket(model);
}

/** Whole seconds rounded up, never 0 (Genesys never says "retry in 0 seconds"). */
export function wholeSeconds(ms: number): number {
  return Math.max(1, Math.ceil(ms / 1000 - 1e-9));
}

function headers(allowed: number, count: number, resetSeconds: number): Record<string, string> {
  return { "inin-ratelimit-allowed": String(allowed), "inin-ratelimit-count": String(count), "inin-ratelimit-reset": String(resetSeconds) };
}

/** The window of a key opens at its first request and lasts `windowSeconds`; then the count starts again. */
function fixedWindow({ limit, windowSeconds }: FixedWindowLimit): RateLimiter {
  const windowMs = windowSeconds * 1000;
  const windows = new Map<string, { start: number; count: number }>();
  return {
    take(key, now) {
      let w = windows.get(key);
      if (!w || now >= w.start + windowMs) {
        if (windows.size >= SWEEP_AT) for (const [k, old] of windows) if (now >= old.start + windowMs) windows.delete(k);
        w = { start: now, count: 0 };
        windows.set(key, w);
      }
      const reset = wholeSeconds(w.start + windowMs - now);
      if (w.count >= limit) return { allowed: false, retryAfter: reset, headers: headers(limit, w.count, reset) };
      w.count++;
      return { allowed: true, retryAfter: undefined, headers: headers(limit, w.count, reset) };
    },
  };
}

/**
 * `capacity` tokens, refilled continuously at `refillPerSecond`; each request takes one.
 * Headers: allowed = capacity, count = tokens in use (rounded up), reset = seconds until the bucket is full again.
 */
function tokenBucket({ capacity, refillPerSecond }: TokenBucketLimit): RateLimiter {
  const buckets = new Map<string, { tokens: number; at: number }>();
  const secondsToFill = (tokens: number) => wholeSeconds(((capacity - tokens) / refillPerSecond) * 1000);
  return {
    take(key, now) {
      let b = buckets.get(key);
      if (!b) {
        if (buckets.size >= SWEEP_AT) for (const [k, old] of buckets) if (old.tokens + ((now - old.at) / 1000) * refillPerSecond >= capacity) buckets.delete(k);
        b = { tokens: capacity, at: now };
        buckets.set(key, b);
      }
      b.tokens = Math.min(capacity, b.tokens + ((now - b.at) / 1000) * refillPerSecond);
      b.at = now;
      const inUse = () => Math.min(capacity, Math.ceil(capacity - b.tokens - 1e-9));
      if (b.tokens < 1) {
        const retryAfter = wholeSeconds(((1 - b.tokens) / refillPerSecond) * 1000);
        return { allowed: false, retryAfter, headers: headers(capacity, inUse(), secondsToFill(b.tokens)) };
      }
      b.tokens -= 1;
      return { allowed: true, retryAfter: undefined, headers: headers(capacity, inUse(), secondsToFill(b.tokens)) };
    },
  };
}
