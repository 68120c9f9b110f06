// The rate limiter as a stage of the pipeline: every attempt waits for its turn, and its answer tells the limiter
// what the server allows (a 429 slows or pauses everybody sharing the limit, as its kind requires). One limiter
// per client, or per route group; with `sharing`, each also cooperates with the limiters of other processes.
import type { EventHub } from "../../events.js";
import { sleep } from "../abort.js";
import { untilDeadline, type CallState } from "../call-state.js";
import type { ResolvedRateLimit } from "../options.js";
import { bodyLimit, readQuotaHeaders, retryAfterMs } from "../retry-after.js";
import { Stage, type StagePolicy } from "../stage.js";
import { bounded, createFleetPacer, hasFleetPace, type FleetPacer, type PacedTurn } from "./fleet-pacer.js";
import { createRateLimiter, systemClock, type RateLimiterConfig } from "./rate-limiter.js";
import type { Clock, LimitSharing, RateLimiter, RateLimitSnapshot } from "./types.js";

export interface RateLimitStageOptions {
  /** A `Retry-After` above this is never imposed on the other calls (the retry's `maxRetryAfterMs`). */
  maxRetryAfterMs: number;
  /** Sharing with other processes when `rateLimit.sharing` is not set (the client's coordinator). */
  sharing?: LimitSharing | undefined;
  /** The limiters' and the fleet pace's time (simulated-time tests); default the system's. */
  clock?: Clock;
}

export class RateLimitStage extends Stage {
  private readonly byScope = new Map<string, RateLimiter>();
  private readonly limiterConfig: RateLimiterConfig;
  private readonly sharing: LimitSharing | undefined;
  private readonly clock: Clock | undefined;
  /** With `requestsPerSecond` and sharing: the cap is the fleet's, kept by the shared GCRA (each limiter still caps itself too). */
  private readonly fleetCap: LimitSharing | undefined;
  /** Without it, learning and sharing: the fleet learns one pace together (fleet-pace.ts), one pacer per scope. */
  private readonly fleetPacers: Map<string, FleetPacer> | undefined;

  constructor(
    private readonly config: ResolvedRateLimit,
    private readonly events: EventHub,
    options: RateLimitStageOptions,
  ) {
    super();
    const { sharing, ...rest } = config;
    this.limiterConfig = { ...rest, maxRetryAfterMs: options.maxRetryAfterMs };
    this.sharing = sharing ?? options.sharing;
    this.clock = options.clock;
    if (this.sharing && config.requestsPerSecond !== undefined) this.fleetCap = this.sharing;
    else if (hasFleetPace(this.sharing) && config.adaptive) {
      this.fleetPacers = new Map();
      // The fleet learns the limit: an assumed per-token default would pace each member by itself, as if alone.
      this.limiterConfig.assumeTokenLimit = false;
    }
    // With sharing, the client's limiter exists from the start: it hears the fleet's pauses and limits before its first call.
    if (this.sharing && config.scope === "client") this.limiter("client");
  }

  forCall(call: CallState): StagePolicy {
    return this.view(async (fn, signal) => {
      const { routeGroup, operation } = call;
      const limiter = this.limiter(routeGroup);
      // Pacing waits are bounded by the deadline only: they are not retries and do not spend the retry budget.
      const request = { routeGroup, method: operation.method, path: operation.path, maxWaitMs: untilDeadline(call), isRetry: call.attempt > 1 };
      const ticket = await limiter.acquire(request, signal);
      const pacer = this.fleetPacer(routeGroup);
      let turn: PacedTurn | undefined;
      if (pacer) {
        try {
          turn = await pacer.turn(signal, request.maxWaitMs);
        } catch (error) {
          limiter.complete(ticket, undefined);
          throw error;
        }
      } else if (this.fleetCap) {
        // The fleet's turn right before sending (a turn taken earlier would be wasted while this one queues here).
        // A failed or slow sharing call counts as no wait: the local cap still holds.
        const waitMs = await fleetTurn(
          this.fleetCap,
          `rps/${this.scopeOf(routeGroup)}`,
          this.config.requestsPerSecond!,
          this.config.burst,
          this.config.sharingTimeoutMs,
        );
        if (waitMs > 0) {
          try {
            await sleep(Math.min(waitMs, request.maxWaitMs), signal);
          } catch (error) {
            limiter.complete(ticket, undefined);
            throw error;
          }
        }
      }
      let response: Response | undefined;
      try {
        response = (await fn({ signal })) as Response;
        return response;
      } finally {
        // The 429 body says more than its headers (the wait in its message, the limit's name). It is in memory already.
        const body =
          response?.status === 429
            ? await response
                .clone()
                .json()
                .catch(() => undefined)
            : undefined;
        // A 429 that states no limit, under the fleet's pace, is the fleet's to learn from: this member's limiter
        // hears only that the attempt ended (its own share is no limit: learning it would pace it as if alone).
        const fleets =
          turn !== undefined &&
          turn.generation >= 0 &&
          response?.status === 429 &&
          !bodyLimit(body) &&
          !(this.config.useHeaders && readQuotaHeaders(response.headers));
        // The first 429 or quota headers: the verdict comes once the learning is loaded (learning.ts).
        const pending = limiter.complete(ticket, response && !fleets ? { status: response.status, headers: response.headers, body } : undefined);
        const verdict = pending instanceof Promise ? await pending : pending;
        if (pacer && turn && response) {
          if (fleets) pacer.limited(turn);
          else if (response.status !== 429 && response.status < 500) pacer.succeeded(turn);
        }
        if (response?.status === 429) {
          const waitMs = retryAfterMs(response.headers, body) ?? 0;
          this.events.emit("rateLimited", {
            retryAfterMs: waitMs,
            pausedMs: verdict?.pausedMs ?? 0,
            scope: verdict?.scope ?? this.scopeOf(routeGroup),
            ...operation,
          });
        }
      }
    });
  }

  snapshots(): RateLimitSnapshot[] {
    return [...this.byScope.values()].map((l) => l.snapshot());
  }

  private scopeOf(group: string): string {
    return this.config.scope === "client" ? "client" : group;
  }

  private fleetPacer(group: string): FleetPacer | undefined {
    if (!this.fleetPacers || !hasFleetPace(this.sharing)) return undefined;
    const scope = this.scopeOf(group);
    let pacer = this.fleetPacers.get(scope);
    if (!pacer) this.fleetPacers.set(scope, (pacer = createFleetPacer(this.sharing, `pace/${scope}`, this.config.sharingTimeoutMs, this.clock)));
    return pacer;
  }

  private limiter(group: string): RateLimiter {
    const scope = this.scopeOf(group);
    let limiter = this.byScope.get(scope);
    if (!limiter) {
      limiter = createRateLimiter(this.limiterConfig, { sharing: this.sharing, scope, ...(this.clock ? { clock: this.clock } : {}) });
      limiter.onLearned((limit) => this.events.emit("rateLimitLearned", limit));
      limiter.onPause((pause) => this.events.emit("rateLimitPause", pause));
      this.byScope.set(scope, limiter);
    }
    return limiter;
  }
}

/** The fleet's wait for one request under `requestsPerSecond`: 0 when sharing fails or takes longer than `timeoutMs`. */
async function fleetTurn(sharing: LimitSharing, key: string, rate: number, burst: number, timeoutMs: number): Promise<number> {
  const wait = await bounded(() => sharing.take(key, rate, burst), 0, timeoutMs, systemClock);
  return Number.isFinite(wait) && wait > 0 ? wait : 0;
}
