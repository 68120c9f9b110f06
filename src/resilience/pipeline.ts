// The resilience pipeline: cockatiel policies composed with cockatiel's wrap() around every attempt of a call.
//
//   your policy (per call, then per client) → total deadline → retry → [auth] → circuit → bulkhead → rate limiter → attempt timeout → fetch
//
// Why this order:
//  - Your policies are outermost: they see the call's final answer or error, and whatever they run again goes
//    through every built-in stage again, so the shared 429 pause, the limiter and the bulkhead still apply.
//  - The deadline bounds everything inside it, waits included (cockatiel's TimeoutPolicy).
//  - Auth (the transport's stage) sits between the retry and the attempt: getting a token holds no bulkhead slot
//    or limiter turn, does not count against the attempt timeout (it has its own), and its failures are never the
//    API route group's circuit failures. A 401 renews the token and replays the attempt once.
//  - The circuit comes before the bulkhead, so a call held at an open circuit holds no slot.
//  - The bulkhead guards attempts: a call sleeping before a retry gives its slot back.
//  - The rate limiter is last before the request, so the moment it lets a request go is the moment it is sent.
//  - The attempt timeout covers the request and the reading of its answer, never the queues.
import { wrap, type IPolicy } from "cockatiel";
import { AbortedError, type OperationRef } from "../errors.js";
import type { EventHub } from "../events.js";
import { neverAborted } from "./abort.js";
import { apiRetryRules } from "./api-retry.js";
import { retryAfterMs } from "./retry-after.js";
import { AttemptTimeoutStage, hasTimeout } from "./attempt-timeout-policy.js";
import { BulkheadStage } from "./bulkhead-policy.js";
import { now, type CallState } from "./call-state.js";
import { CircuitStage } from "./circuit-policy.js";
import { DeadlineStage } from "./deadline-policy.js";
import { DEFAULT_RETRY, defaultRouteGroup } from "./defaults.js";
import { resolveCall, resolvePipeline, type CallSettings, type ResolvedResilience } from "./options.js";
import { RateLimitStage } from "./rate-limit/policy.js";
import type { LimitSharing } from "./rate-limit/types.js";
import { RetryStage } from "./retry-policy.js";
import type { Stage } from "./stage.js";
import type { CallResilienceOptions, ResilienceOptions, ResilienceStats } from "./types.js";

/** What the pipeline needs to know about one call. */
export interface CallContext {
  method: string;
  /** Path template, e.g. `/api/v2/users/{userId}`. */
  path: string;
  options: CallResilienceOptions | undefined;
  signal: AbortSignal | undefined;
}

/** The context the innermost function gets: the attempt's signal, and the bearer token when the call has one. */
export interface AttemptContext {
  signal: AbortSignal;
  token?: string;
}

/** Sends one attempt (and reads its answer); throws typed errors for what is not an answer. */
export type Send = (context: AttemptContext) => Promise<Response>;

export interface Pipeline {
  /** Runs `send` through the pipeline; `auth` is the transport's stage for calls that carry a token. */
  execute(call: CallContext, send: Send, auth?: Stage): Promise<Response>;
  stats(): ResilienceStats;
}

/** What the client hands the pipeline besides its options. */
export interface PipelineDeps {
  /** The coordinator's sharing, used by the rate limiter unless `rateLimit.sharing` is set. */
  sharing?: LimitSharing | undefined;
}

/** Builds the pipeline of one client. `false` turns every built-in stage off (your own policies still apply). */
export function createPipeline(options: ResilienceOptions | false, events: EventHub, deps: PipelineDeps = {}): Pipeline {
  return buildPipeline(resolvePipeline(options), events, deps);
}

/** Builds the pipeline of one client from its checked settings (`resolvePipeline`). */
export function buildPipeline(config: ResolvedResilience, events: EventHub, deps: PipelineDeps = {}): Pipeline {
  const deadline = new DeadlineStage(events);
  const retry = new RetryStage(apiRetryRules);
  const circuits = config.breaker ? new CircuitStage(config.breaker, events) : undefined;
  const bulkhead = config.bulkhead ? new BulkheadStage(config.bulkhead, events) : undefined;
  const limits =
    config.rateLimit && (config.rateLimit.adaptive || config.rateLimit.requestsPerSecond !== undefined)
      ? new RateLimitStage(config.rateLimit, events, { maxRetryAfterMs: (config.retry || DEFAULT_RETRY).maxRetryAfterMs, sharing: deps.sharing })
      : undefined;
  const attemptTimeout = new AttemptTimeoutStage(events);
  const groupOf = config.breaker ? config.breaker.routeGroup : defaultRouteGroup;
  // The default grouping is a pure function of the path template (a few hundred at most): worked out once per path.
  const groups = new Map<string, string>();
  const routeGroup = (path: string) => {
    if (groupOf !== defaultRouteGroup) return groupOf(path);
    let group = groups.get(path);
    if (group === undefined) groups.set(path, (group = defaultRouteGroup(path)));
    return group;
  };
  const plainSettings = resolveCall(config, undefined); // calls without overrides (nearly all): resolved once
  let onNetwork = 0;
  let retries = 0;
  let rateLimited = 0;
  retry.onRetry(() => void retries++);
  retry.onRetry(({ call, attempt, delayMs, reason, outcome }) =>
    events.emit("retry", { attempt, delayMs, reason, status: outcome.value instanceof Response ? outcome.value.status : undefined, ...call.operation }),
  );
  retry.onGiveUp(({ call, reason, attempts, outcome }) =>
    events.emit("giveUp", { reason, attempts, status: outcome.value instanceof Response ? outcome.value.status : undefined, ...call.operation }),
  );

  function stagesFor(call: CallState, settings: CallSettings, auth: Stage | undefined): IPolicy[] {
    const policies = [...settings.policies];
    const builtIns: Stage[] = [];
    if (settings.replaceBuiltIns) policies.push(settings.replaceBuiltIns);
    else {
      if (hasTimeout(settings.totalMs)) builtIns.push(deadline);
      builtIns.push(retry);
    }
    if (auth) builtIns.push(auth);
    if (!settings.replaceBuiltIns) {
      if (circuits) builtIns.push(circuits);
      if (bulkhead) builtIns.push(bulkhead);
      if (limits) builtIns.push(limits);
      if (hasTimeout(settings.attemptMs)) builtIns.push(attemptTimeout);
    }
    for (const stage of builtIns) policies.push(stage.forCall(call));
    return policies;
  }

  async function execute(context: CallContext, send: Send, auth?: Stage): Promise<Response> {
    const operation: OperationRef = { method: context.method.toUpperCase(), path: context.path };
    const callerSignal = context.signal ?? neverAborted;
    const settings = context.options === undefined ? plainSettings : resolveCall(config, context.options);
    const call: CallState = {
      operation,
      routeGroup: routeGroup(context.path),
      settings,
      deadlineAt: hasTimeout(settings.totalMs) ? now() + settings.totalMs : Infinity,
      waitedMs: 0,
      attempt: 0,
      sent: 0,
    };
    const innermost = async (attempt: AttemptContext) => {
      call.admit?.();
      call.sent++;
      onNetwork++;
      try {
        const response = await send(attempt);
        if (response.status === 429) {
          rateLimited++;
          // Without a limiter only this call waits (its retry): say so; the limiter's stage reports its own pauses.
          if (!limits) events.emit("rateLimited", { retryAfterMs: retryAfterMs(response.headers) ?? 0, pausedMs: 0, scope: "call", ...operation });
        }
        return response;
      } finally {
        onNetwork--;
      }
    };
    try {
      const policies = stagesFor(call, settings, auth);
      if (policies.length === 0) return await innermost({ signal: callerSignal });
      const [first, ...rest] = policies;
      return (await wrap(first, ...rest).execute((ctx) => innermost(ctx as AttemptContext), callerSignal)) as Response;
    } catch (error) {
      if (callerSignal.aborted && !(error instanceof AbortedError)) throw new AbortedError(operation, callerSignal.reason);
      throw error;
    }
  }

  return {
    execute,
    stats(): ResilienceStats {
      const all = limits?.snapshots() ?? [];
      const paces = all.map((l) => l.pace).filter((p): p is number => p !== undefined);
      const pauses = all.map((l) => l.pausedUntil).filter((p): p is number => p !== undefined);
      return {
        inFlight: onNetwork,
        queued: (bulkhead?.queued ?? 0) + all.reduce((n, l) => n + l.queued, 0),
        held: circuits?.held ?? 0,
        retries,
        rateLimited,
        breakers: circuits?.states() ?? {},
        pace: paces.length ? Math.min(...paces) : undefined,
        pausedUntil: pauses.length ? Math.max(...pauses) : undefined,
        rateLimits: all.flatMap((l) => l.limits),
      };
    },
  };
}
