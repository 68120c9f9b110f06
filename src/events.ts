// Typed events for everything the SDK does on a caller's behalf (retries, waits, breaker changes, token fetches).
import type { LearnedLimit, PauseEvent } from "./resilience/rate-limit/types.js";

/** Why an attempt is retried; `custom` when only the `shouldRetry` hook asked for it. */
export type RetryReason = "rate-limited" | "server-error" | "network-error" | "timeout" | "custom";

export type GiveUpReason = "max-attempts" | "retry-budget" | "retry-after-too-long" | "breaker-open";

export interface GenesysEvents {
  /** A failed attempt will be retried after `delayMs`. */
  retry: { attempt: number; delayMs: number; reason: RetryReason; status?: number; method: string; path: string };
  /** A 429 arrived: its call waits `retryAfterMs`; the calls sharing `scope` wait `pausedMs` (0: they go on at a lower pace). */
  rateLimited: { retryAfterMs: number; pausedMs: number; scope: string; method: string; path: string };
  /** The rate limiter learned something about a server limit (its kind, pace or window, or its name from a 429 body). */
  rateLimitLearned: LearnedLimit;
  /** Every call sharing `scope` waits until `until` (epoch ms): a window's quota is spent, or the server said so. */
  rateLimitPause: PauseEvent;
  /** The circuit of a route group opened, half-opened (probing) or closed. */
  breakerOpen: { routeGroup: string; probeAt: number };
  breakerHalfOpen: { routeGroup: string };
  breakerClose: { routeGroup: string };
  /** A call was refused because the bulkhead's queue was full. */
  bulkheadReject: { method: string; path: string; queued: number };
  /** An attempt (`scope: "attempt"`) or the whole call (`scope: "total"`) ran out of time. */
  timeout: { scope: "attempt" | "total"; timeoutMs: number; method: string; path: string };
  /**
   * The pipeline stopped retrying a call whose last attempt failed: attempts used up, retry budget spent, a
   * `Retry-After` above `maxRetryAfterMs`, or the circuit of its route group opened meanwhile.
   */
  giveUp: { reason: GiveUpReason; attempts: number; status?: number; method: string; path: string };
  /** A token was requested from the login endpoint (`ok` false when it failed). */
  tokenRequest: { ok: boolean; status?: number; durationMs: number };
  /** A 401 led to one token refresh and a replay. */
  tokenRefreshOn401: { method: string; path: string };
  /**
   * The coordinator's backend (Redis) stopped answering, or answered too slowly: this client goes on alone (its own
   * limiter and token cache) until `coordinatorUp`. Once per transition.
   */
  coordinatorDown: { reason: string };
  /** The coordinator answers again (first contact, or back after `coordinatorDown`): this client shares again. */
  coordinatorUp: Record<string, never>;
}

export type GenesysEventName = keyof GenesysEvents;
export type Listener<E extends GenesysEventName> = (event: GenesysEvents[E]) => void;

export interface EventHub {
  on<E extends GenesysEventName>(name: E, listener: Listener<E>): () => void;
  off<E extends GenesysEventName>(name: E, listener: Listener<E>): void;
  emit<E extends GenesysEventName>(name: E, event: GenesysEvents[E]): void;
}

export function createEventHub(): EventHub {
  const listeners = new Map<GenesysEventName, Set<(event: never) => void>>();
  const off: EventHub["off"] = (name, listener) => void listeners.get(name)?.delete(listener as (event: never) => void);
  return {
    on(name, listener) {
      let set = listeners.get(name);
      if (!set) listeners.set(name, (set = new Set()));
      set.add(listener as (event: never) => void);
      return () => off(name, listener);
    },
    off,
    emit(name, event) {
      const set = listeners.get(name);
      if (!set) return;
      for (const listener of set) {
        // A throwing listener must not break the call that emitted the event.
        try {
          (listener as Listener<typeof name>)(event);
        } catch {
          /* ignored on purpose */
        }
      }
    },
  };
}
