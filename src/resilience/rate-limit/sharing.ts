// The sharing seam between limiters (processes): the contract is `LimitSharing` in types.ts. Here: the guard the
// limiter puts around any implementation (a short timeout, failures ignored), and the in-memory implementation
// used by tests and by limiters of one process (e.g. several clients of one OAuth client).
import { cutPace, newFleetPace, takeTurn, type FleetPaceState } from "./fleet-pace.js";
import type { Clock, IDisposable, LimitSharing, SharedLimitEvent } from "./types.js";

/**
 * `sharing` with every call bounded by `timeoutMs` and never rejecting: a `take` that fails or is slow counts as
 * "no wait", a `publish` that fails is dropped, a `subscribe` that throws leaves the limiter alone.
 */
export function guardedSharing(sharing: LimitSharing, clock: Clock, timeoutMs: number): LimitSharing {
  const bounded = <T>(run: () => Promise<T>, fallback: T): Promise<T> =>
    new Promise<T>((resolve) => {
      const timer = clock.setTimeout(() => resolve(fallback), timeoutMs);
      const settle = (value: T) => {
        clock.clearTimeout(timer);
        resolve(value);
      };
      try {
        run().then(settle, () => settle(fallback));
      } catch {
        settle(fallback);
      }
    });
  return {
    publish: (event, origin) => bounded(() => sharing.publish(event, origin), undefined),
    subscribe(origin, listener) {
      try {
        return sharing.subscribe(origin, (event) => {
          try {
            listener(event);
          } catch {
            /* a bad event must not break the limiter */
          }
        });
      } catch {
        return { dispose: () => undefined };
      }
    },
    take: (key, rate, burst) =>
      bounded(async () => {
        const wait = await sharing.take(key, rate, burst);
        return Number.isFinite(wait) && wait > 0 ? wait : 0;
      }, 0),
  };
}

/**
 * In-memory `LimitSharing`: limiters given the same instance share pauses, learned limits, a fleet-wide GCRA
 * rate and the fleet's learned pace, as processes would through Redis. `now` is the clock of the GCRA (ms; default `performance.now`).
 */
export function createLocalLimitSharing(now: () => number = () => performance.now()): LimitSharing {
  const listeners = new Map<string, Set<(event: SharedLimitEvent) => void>>();
  const tat = new Map<string, number>(); // GCRA: theoretical arrival time per key
  const paces = new Map<string, FleetPaceState>();
  const pace = (key: string) => paces.get(key) ?? (paces.set(key, newFleetPace(now())), paces.get(key)!);
  return {
    async publish(event, origin) {
      for (const [who, set] of listeners) if (who !== origin) for (const l of set) l(event);
    },
    subscribe(origin, listener): IDisposable {
      let set = listeners.get(origin);
      if (!set) listeners.set(origin, (set = new Set()));
      set.add(listener);
      return { dispose: () => void set.delete(listener) };
    },
    async take(key, ratePerSecond, burst) {
      // GCRA: each request moves the key's theoretical arrival time on by 1/rate; up to `burst` may be ahead of now.
      const t = now();
      const interval = 1000 / ratePerSecond;
      const current = Math.max(tat.get(key) ?? t, t);
      const wait = Math.max(0, current - t - (Math.max(1, burst) - 1) * interval);
      tat.set(key, current + interval);
      return wait;
    },
    turn: async (key, report) => takeTurn(pace(key), now(), report),
    limited: async (key, generation) => cutPace(pace(key), now(), generation),
  };
}
