// A rate limiter against a modelled server in simulated time: a virtual clock with its own timer queue, a server
// limit (token bucket or fixed window that opens at its first request, whole-second Retry-After, as the simulator),
// and the pipeline's shape around the limiter (bulkhead slots, the retry stage waiting Retry-After + jitter).
// Deterministic: no wall clock, a seeded random.
import { VirtualClock } from "./virtual-clock.js";
import { createRateLimiter, type RateLimiterConfig } from "../../src/resilience/rate-limit/rate-limiter.js";
import { loadLearning } from "../../src/resilience/rate-limit/learning.js";
import type { LimitSharing, RateLimitAnswer, RateLimiter, RateLimitVerdict, LimiterTicket } from "../../src/resilience/rate-limit/types.js";

export { VirtualClock };

// What the limiter learns from 429s is loaded on the first one (learning.ts); simulated time needs it at once.
await loadLearning();

/** A limiter whose learning is loaded: `complete()` answers at once. */
export type SimRateLimiter = Omit<RateLimiter, "complete"> & { complete(ticket: LimiterTicket, answer: RateLimitAnswer | undefined): RateLimitVerdict };

export type ServerLimit =
  | { model: "token-bucket"; capacity: number; refillPerSecond: number }
  | { model: "fixed-window"; limit: number; windowSeconds: number };

export interface ServerModel {
  /** Status and headers for a request arriving at `t`. */
  take(t: number): { status: number; retryAfterS?: number };
}

export function serverModel(limit: ServerLimit): ServerModel {
  if (limit.model === "token-bucket") {
    let tokens = limit.capacity;
    let at = 0;
    return {
      take(t) {
        tokens = Math.min(limit.capacity, tokens + ((t - at) / 1000) * limit.refillPerSecond);
        at = t;
        if (tokens < 1) return { status: 429, retryAfterS: Math.max(1, Math.ceil((1 - tokens) / limit.refillPerSecond - 1e-9)) };
        tokens -= 1;
        return { status: 200 };
      },
    };
  }
  const windowMs = limit.windowSeconds * 1000;
  let start = -Infinity;
  let count = 0;
  return {
    take(t) {
      if (t >= start + windowMs) [start, count] = [t, 0];
      if (count >= limit.limit) return { status: 429, retryAfterS: Math.max(1, Math.ceil((start + windowMs - t) / 1000 - 1e-9)) };
      count++;
      return { status: 200 };
    },
  };
}

export interface SimRun {
  n: number;
  /** Calls started together (workers). */
  concurrency: number;
  /** Attempts holding a slot at once (the bulkhead). Default 32. */
  slots?: number;
  /** One-way latency in ms (answer = 2 ×), plus up to `jitterMs` at random each way. Default 0.5 and 0.3. */
  latencyMs?: number;
  jitterMs?: number;
  /** Retry-After jitter of the retry stage. Default 100 (the SDK's). */
  retryAfterJitterMs?: number;
  maxAttempts?: number;
  /** 429 body, e.g. a `limit`. */
  body?: unknown;
  seed?: number;
}

export interface SimResult {
  totalMs: number;
  succeeded: number;
  failed: number;
  attempts: number;
  r429: number;
}

export function seeded(seed: number): () => number {
  let s = seed >>> 0 || 1;
  return () => {
    s ^= s << 13;
    s ^= s >>> 17;
    s ^= s << 5;
    return (s >>> 0) / 2 ** 32;
  };
}

export const simConfig = (overrides: Partial<RateLimiterConfig> = {}): RateLimiterConfig => ({
  adaptive: true,
  useHeaders: false,
  requestsPerSecond: undefined,
  burst: 1,
  maxRetryAfterMs: 90_000,
  assumeTokenLimit: 300,
  limits: [],
  sharingTimeoutMs: 50,
  ...overrides,
});

/** Runs `n` calls through `limiter` against `server`; every time is the virtual clock's. */
export async function simulate(
  clock: VirtualClock,
  limiter: RateLimiter,
  server: ServerModel,
  run: SimRun,
  trace?: (t: number, status: number, seq: number) => void,
): Promise<SimResult> {
  const { n, concurrency, slots = 32, latencyMs = 0.5, jitterMs = 0.3, retryAfterJitterMs = 100, maxAttempts = 5, body, seed = 7 } = run;
  const random = seeded(seed);
  const wait = (ms: number) => new Promise<void>((resolve) => clock.setTimeout(resolve, ms));
  let free = slots;
  const queue: { retry: boolean; go: () => void }[] = [];
  const slot = (retry: boolean) =>
    new Promise<void>((resolve) => {
      if (free > 0 && queue.length === 0) return void (free--, resolve());
      const i = retry ? queue.findIndex((q) => !q.retry) : -1;
      const entry = { retry, go: resolve };
      if (i >= 0) queue.splice(i, 0, entry);
      else queue.push(entry);
    });
  const release = () => {
    const next = queue.shift();
    if (next) next.go();
    else free++;
  };
  let attempts = 0;
  let r429 = 0;
  let succeeded = 0;
  let lastDone = 0;

  async function call(): Promise<boolean> {
    const signal = new AbortController().signal;
    for (let attempt = 1; attempt <= maxAttempts; attempt++) {
      await slot(attempt > 1);
      const ticket = await limiter.acquire(
        { routeGroup: "users", method: "GET", path: "/api/v2/users/{userId}", maxWaitMs: Infinity, isRetry: attempt > 1 },
        signal,
      );
      await wait(latencyMs + random() * jitterMs);
      attempts++;
      const answer = server.take(clock.now());
      trace?.(clock.now(), answer.status, ticket.seq);
      await wait(latencyMs + random() * jitterMs);
      const headers = new Headers(answer.retryAfterS ? { "retry-after": String(answer.retryAfterS) } : {});
      limiter.complete(ticket, { status: answer.status, headers, body: answer.status === 429 ? body : undefined });
      release();
      if (answer.status !== 429) return true;
      r429++;
      if (attempt < maxAttempts) await wait((answer.retryAfterS ?? 1) * 1000 + Math.floor(random() * retryAfterJitterMs));
    }
    return false;
  }

  let next = 0;
  const worker = async () => {
    while (next < n) {
      next++;
      if (await call()) succeeded++;
      lastDone = clock.now();
    }
  };
  const all = Promise.all(Array.from({ length: Math.min(n, concurrency) }, worker));
  await clock.run();
  await all;
  return { totalMs: lastDone, succeeded, failed: n - succeeded, attempts, r429 };
}

/** A fresh limiter on a fresh virtual clock. */
export function simLimiter(
  overrides: Partial<RateLimiterConfig> = {},
  sharing?: LimitSharing,
  clock = new VirtualClock(),
): { clock: VirtualClock; limiter: SimRateLimiter } {
  return { clock, limiter: createRateLimiter(simConfig(overrides), { clock, sharing }) as SimRateLimiter };
}
