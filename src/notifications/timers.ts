// Every timer and wait of one stream, counted, so `close()` can clear them all and tests can see none is left.
import { sleep } from "../resilience/abort.js";

export interface Timers {
  /** A one-shot timer; it stops counting as pending when it fires or is cleared. */
  set(fn: () => void, ms: number): ReturnType<typeof setTimeout>;
  clear(timer: ReturnType<typeof setTimeout> | undefined): void;
  /** An abort-aware wait (the resilience layer's `sleep`), ended early by `signal`. */
  sleep(ms: number, signal: AbortSignal): Promise<void>;
  /** Timers and waits not yet over. */
  readonly pending: number;
  /** Clears every timer (waits end through their signal). */
  clearAll(): void;
}

export function createTimers(): Timers {
  const live = new Set<ReturnType<typeof setTimeout>>();
  let sleeping = 0;
  return {
    set(fn, ms) {
      const timer = setTimeout(
        () => {
          live.delete(timer);
          fn();
        },
        Math.max(0, ms),
      );
      live.add(timer);
      return timer;
    },
    clear(timer) {
      if (timer === undefined) return;
      clearTimeout(timer);
      live.delete(timer);
    },
    async sleep(ms, signal) {
      sleeping++;
      try {
        await sleep(ms, signal);
      } finally {
        sleeping--;
      }
    },
    get pending() {
      return live.size + sleeping;
    },
    clearAll() {
      for (const timer of live) clearTimeout(timer);
      live.clear();
    },
  };
}
