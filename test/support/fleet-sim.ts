// A fleet in simulated time: several members (one rate-limit stage each, as each process of a fleet has) sharing
// one LimitSharing and one modelled server. Each member runs its calls with a number in flight, and retries a 429
// after its Retry-After plus jitter, as the retry stage does. Deterministic: a virtual clock, a seeded random.
import { createEventHub } from "../../src/events.js";
import { resolveResilience } from "../../src/resilience/options.js";
import { RateLimitStage } from "../../src/resilience/rate-limit/policy.js";
import type { LimitSharing } from "../../src/resilience/rate-limit/types.js";
import type { RateLimitOptions } from "../../src/resilience/types.js";
import { testCall } from "./call-state.js";
import { seeded, type ServerModel, type VirtualClock } from "./limiter-sim.js";

export interface FleetRun {
  members: number;
  /** Calls per member. */
  calls: number;
  /** Attempts in flight per member (its bulkhead). */
  inFlight: number;
  /** Each member's `rateLimit` options. */
  rateLimit?: RateLimitOptions;
  /** Shared by all members; none: each alone. */
  sharing?: LimitSharing;
  /** One-way latency in ms, plus up to `jitterMs` at random each way. */
  latencyMs?: number;
  jitterMs?: number;
  retryAfterJitterMs?: number;
  maxAttempts?: number;
  seed?: number;
}

export interface FleetResult {
  /** When the last call ended (ms of simulated time). */
  totalMs: number;
  succeeded: number;
  failed: number;
  attempts: number;
  r429: number;
}

export async function simulateFleet(clock: VirtualClock, server: ServerModel, run: FleetRun): Promise<FleetResult> {
  const { latencyMs = 2, jitterMs = 2, retryAfterJitterMs = 500, maxAttempts = 5, seed = 7 } = run;
  const random = seeded(seed);
  const wait = (ms: number) => new Promise<void>((resolve) => clock.setTimeout(resolve, ms));
  const total: FleetResult = { totalMs: 0, succeeded: 0, failed: 0, attempts: 0, r429: 0 };
  const config = resolveResilience({ rateLimit: { ...run.rateLimit, ...(run.sharing ? { sharing: run.sharing } : {}) } }).rateLimit;
  if (!config) throw new Error("the fleet simulation needs a rate limit");

  async function exchange(): Promise<Response> {
    await wait(latencyMs + random() * jitterMs);
    total.attempts++;
    const answer = server.take(clock.now());
    await wait(latencyMs + random() * jitterMs);
    if (answer.status !== 429) return new Response("{}", { status: answer.status });
    const seconds = answer.retryAfterS ?? 1;
    // As Genesys answers: the wait in the header and in the message, no `limit` named.
    const body = JSON.stringify({
      status: 429,
      code: "too.many.requests",
      message: `Rate limit exceeded the maximum. Retry the request in [${seconds}] seconds`,
    });
    return new Response(body, { status: 429, headers: { "retry-after": String(seconds), "content-type": "application/json" } });
  }

  async function member(): Promise<void> {
    const stage = new RateLimitStage(config as Exclude<typeof config, false>, createEventHub(), { maxRetryAfterMs: 90_000, clock });
    async function call(): Promise<boolean> {
      const state = testCall();
      for (let attempt = 1; attempt <= maxAttempts; attempt++) {
        state.attempt = attempt;
        const response = (await stage.forCall(state).execute(exchange, new AbortController().signal)) as Response;
        if (response.status !== 429) return true;
        total.r429++;
        if (attempt < maxAttempts) await wait(Number(response.headers.get("retry-after") ?? 1) * 1000 + Math.floor(random() * retryAfterJitterMs));
      }
      return false;
    }
    let next = 0;
    const lane = async () => {
      while (next < run.calls) {
        next++;
        if (await call()) total.succeeded++;
        else total.failed++;
        total.totalMs = Math.max(total.totalMs, clock.now());
      }
    };
    await Promise.all(Array.from({ length: Math.min(run.calls, run.inFlight) }, lane));
  }

  const all = Promise.all(Array.from({ length: run.members }, member));
  await clock.run();
  await all;
  return total;
}
