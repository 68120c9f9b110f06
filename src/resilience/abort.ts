// Abort-aware waiting: every wait of the pipeline ends as soon as the call's signal fires (caller abort, deadline).

/** A signal that never fires, for calls without one. */
export const neverAborted: AbortSignal = new AbortController().signal;

/** Timers a wait runs on: the global ones, or an injected clock's (simulated-time tests). */
export interface Timers {
  setTimeout(fn: () => void, ms: number): unknown;
  clearTimeout(handle: unknown): void;
}

const globalTimers: Timers = { setTimeout: (fn, ms) => setTimeout(fn, ms), clearTimeout: (h) => clearTimeout(h as ReturnType<typeof setTimeout>) };

/** Resolves after `ms`, or rejects with `signal.reason` the moment the signal fires (no polling). */
export function sleep(ms: number, signal: AbortSignal, timers: Timers = globalTimers): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal.aborted) return reject(signal.reason);
    const onAbort = () => {
      timers.clearTimeout(timer);
      reject(signal.reason);
    };
    const timer = timers.setTimeout(
      () => {
        signal.removeEventListener("abort", onAbort);
        resolve();
      },
      Math.max(0, ms),
    );
    signal.addEventListener("abort", onAbort, { once: true });
  });
}

/** One signal that fires when any of `signals` does (undefined entries ignored). */
export function anySignal(...signals: (AbortSignal | undefined)[]): AbortSignal {
  const present = signals.filter((s): s is AbortSignal => s !== undefined && s !== neverAborted);
  if (present.length === 0) return neverAborted;
  if (present.length === 1) return present[0];
  // AbortSignal.any holds its sources weakly: a long-lived caller signal does not accumulate listeners.
  return AbortSignal.any(present);
}
