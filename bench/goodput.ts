// Goodput under a rate limit: N calls, `concurrency` in flight, against a fresh simulator per client.
import type { Arrival, RateLimitModel } from "../src/simulator/types.js";
import type { BenchClient } from "./clients/types.js";
import { prepareSimulator } from "./sim.js";

export interface GoodputOptions {
  n: number;
  concurrency: number;
  limit: RateLimitModel;
  /** A run still going after this long is cut off (its unfinished calls count as failed). Default 5 min. */
  deadlineMs?: number;
  /** Whether the simulator sends `inin-ratelimit-*` headers. Default false, as today's Genesys. */
  rateLimitHeaders?: boolean;
  /** The limit as documented, for clients configured up front. */
  documented?: { count: number; windowMs?: number };
}

export interface GoodputResult {
  client: string;
  n: number;
  succeeded: number;
  failed: number;
  /** Until the last call settled, ms. */
  totalMs: number;
  /** The limit's floor: (N − burst) ÷ rate, ms. */
  idealMs: number;
  ratio: number;
  /** API requests the simulator received (first attempts and retries). */
  attempts: number;
  /** Attempts answered 429. */
  r429: number;
  r429PerSuccess: number;
  /** r429 ÷ attempts. */
  r429Share: number;
  /** attempts − N: retries as the server saw them. */
  retries: number;
  /** Retries the client itself reported, when it can. */
  clientRetries: number | undefined;
  /** Most arrivals in one 10 ms slot after the first 429 (opening wave excluded); null when no 429 came. */
  maxPer10ms: number | null;
  /** Completion times (ms since start) of the successful calls, ascending. */
  completions: number[];
  notes: string[];
}

/** Burst and steady rate (per second) of a limit model; a fixed window is a burst of `limit` per window. */
export function limitShape(limit: RateLimitModel): { burst: number; ratePerSecond: number } {
  return limit.model === "token-bucket"
    ? { burst: limit.capacity, ratePerSecond: limit.refillPerSecond }
    : { burst: limit.limit, ratePerSecond: limit.limit / limit.windowSeconds };
}

/** The limit's floor: a bucket's burst then its rate; a window's count per window, the last window opening at (⌈N ÷ count⌉ − 1) × its length. */
export const idealMs = (n: number, limit: RateLimitModel): number => {
  if (limit.model === "fixed-window") return Math.max(0, Math.ceil(n / limit.limit) - 1) * limit.windowSeconds * 1000;
  const { burst, ratePerSecond } = limitShape(limit);
  return (Math.max(0, n - burst) / ratePerSecond) * 1000;
};

/**
 * Largest number of arrivals in any 10 ms slot from the first 429 on, leaving out the first `concurrency`
 * arrivals: every client sends its opening wave of `concurrency` calls at once by construction.
 */
export function maxArrivalsPerSlot(arrivals: readonly Arrival[], concurrency: number, slotMs = 10): number | null {
  const sorted = [...arrivals].sort((a, b) => a.t - b.t);
  const first429 = sorted.find((a) => a.status === 429);
  if (!first429) return null;
  const counts = new Map<number, number>();
  let max = 0;
  sorted.slice(concurrency).forEach((a) => {
    if (a.t < first429.t) return;
    const slot = Math.floor((a.t - first429.t) / slotMs);
    const count = (counts.get(slot) ?? 0) + 1;
    counts.set(slot, count);
    max = Math.max(max, count);
  });
  return max;
}

export async function runGoodput(client: BenchClient, options: GoodputOptions): Promise<GoodputResult> {
  const { n, concurrency, limit, deadlineMs = 300_000, rateLimitHeaders = false, documented } = options;
  const { sim, token, userIds } = await prepareSimulator(limit, rateLimitHeaders);
  try {
    const run = await client.create({ url: sim.url, token, userIds, documented });
    sim.resetStats(); // the client's own token request is not part of the calls
    const completions: number[] = [];
    let next = 0;
    let settled = 0;
    const start = performance.now();
    const worker = async () => {
      while (next < n) {
        const i = next++;
        const ok = await run.call(i);
        settled++;
        if (ok) completions.push(performance.now() - start);
      }
    };
    let timer: NodeJS.Timeout | undefined;
    const deadline = new Promise<"deadline">((resolve) => (timer = setTimeout(() => resolve("deadline"), deadlineMs)));
    const workers = Promise.all(Array.from({ length: Math.min(concurrency, n) }, worker));
    const outcome = await Promise.race([workers, deadline]);
    clearTimeout(timer);
    const totalMs = performance.now() - start;
    const notes = [...(run.notes ?? [])];
    if (outcome === "deadline") notes.push(`cut off after ${deadlineMs} ms with ${n - settled} calls unsettled`);
    await run.close?.();

    const arrivals = sim.stats().arrivals.filter((a) => a.route.startsWith("/api/v2/"));
    const r429 = arrivals.filter((a) => a.status === 429).length;
    const succeeded = completions.length;
    const ideal = idealMs(n, limit);
    return {
      client: client.id,
      n,
      succeeded,
      failed: n - succeeded,
      totalMs,
      idealMs: ideal,
      ratio: totalMs / ideal,
      attempts: arrivals.length,
      r429,
      r429PerSuccess: succeeded ? r429 / succeeded : Number.NaN,
      r429Share: arrivals.length ? r429 / arrivals.length : 0,
      retries: Math.max(0, arrivals.length - n),
      clientRetries: run.retries(),
      maxPer10ms: maxArrivalsPerSlot(arrivals, concurrency),
      completions,
      notes,
    };
  } finally {
    await sim.close();
  }
}
