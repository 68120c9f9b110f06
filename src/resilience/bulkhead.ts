// Concurrency cap with a queue. cockatiel's BulkheadPolicy leaves an aborted caller in its queue until a slot frees
// (and then throws), and cannot put a retry ahead of new calls; this one removes an aborted caller at once and
// serves retries first, so calls already under way finish before new ones start.

export interface BulkheadConfig {
  maxConcurrent: number;
  maxQueued: number;
}

/** Releases the slot (idempotent). */
export type Release = () => void;

export interface Bulkhead {
  /**
   * Waits for a slot. `retry` puts the caller ahead of new calls and past the queue bound (the call was admitted
   * already). Resolves to `undefined` when the queue is full (the caller raises its error), rejects with
   * `signal.reason` when the signal fires first.
   */
  acquire(signal: AbortSignal, retry: boolean): Promise<Release | undefined>;
  readonly active: number;
  readonly queued: number;
}

interface Waiter {
  grant(release: Release): void;
}

export function createBulkhead({ maxConcurrent, maxQueued }: BulkheadConfig): Bulkhead {
  let active = 0;
  const retries: Waiter[] = [];
  const fresh: Waiter[] = [];

  const makeRelease = (): Release => {
    let released = false;
    return () => {
      if (released) return;
      released = true;
      const next = retries.shift() ?? fresh.shift();
      if (next) next.grant(makeRelease()); // the slot passes on; `active` is unchanged
      else active--;
    };
  };

  return {
    acquire(signal, retry) {
      if (signal.aborted) return Promise.reject(signal.reason);
      if (active < maxConcurrent) {
        active++;
        return Promise.resolve(makeRelease());
      }
      if (!retry && fresh.length + retries.length >= maxQueued) return Promise.resolve(undefined);
      const queue = retry ? retries : fresh;
      return new Promise<Release>((resolve, reject) => {
        const onAbort = () => {
          const i = queue.indexOf(waiter);
          if (i >= 0) queue.splice(i, 1);
          reject(signal.reason);
        };
        const waiter: Waiter = {
          grant(release) {
            signal.removeEventListener("abort", onAbort);
            resolve(release);
          },
        };
        signal.addEventListener("abort", onAbort, { once: true });
        queue.push(waiter);
      });
    },
    get active() {
      return active;
    },
    get queued() {
      return retries.length + fresh.length;
    },
  };
}
