// The one waiter queue of the SDK: the bulkhead's slots, calls held at an open circuit and the callers of a
// token request all wait in one of these. What every user needs from it, once:
//  - an aborted waiter leaves the queue at once (its promise rejects with `signal.reason`), so nobody waits on
//    behalf of a caller who left and nothing is granted to a dead waiter;
//  - a waiter may be put ahead of ordinary ones (a retry goes before new calls);
//  - the owner hears when the last waiter leaves, to clear a timer it kept for them (a timer nobody waits on
//    must not keep a finished process alive).

interface Waiter<T, I> {
  resolve(value: T): void;
  reject(reason: unknown): void;
  signal: AbortSignal;
  onAbort(): void;
  info: I;
}

export interface WaiterQueueOptions {
  /** Called after an aborted waiter left and the queue is empty. */
  onEmpty?(): void;
}

export class WaiterQueue<T, I = undefined> {
  private readonly front: Waiter<T, I>[] = [];
  private readonly back: Waiter<T, I>[] = [];

  constructor(private readonly options: WaiterQueueOptions = {}) {}

  /** Waiters in the queue. */
  get size(): number {
    return this.front.length + this.back.length;
  }

  /**
   * Waits until `grant` (or `grantAll`) hands this waiter a value. `ahead` puts it before every ordinary waiter
   * (after other `ahead` ones). `info` travels with the waiter for `rejectWhere`.
   */
  wait(signal: AbortSignal, info: I, ahead = false): Promise<T> {
    if (signal.aborted) return Promise.reject(signal.reason);
    const queue = ahead ? this.front : this.back;
    return new Promise<T>((resolve, reject) => {
      const waiter: Waiter<T, I> = {
        resolve,
        reject,
        signal,
        info,
        onAbort: () => {
          const i = queue.indexOf(waiter);
          if (i >= 0) queue.splice(i, 1);
          reject(signal.reason);
          if (this.size === 0) this.options.onEmpty?.();
        },
      };
      signal.addEventListener("abort", waiter.onAbort, { once: true });
      queue.push(waiter);
    });
  }

  /** The `info` of every waiter, first to last. */
  infos(): I[] {
    return [...this.front, ...this.back].map((w) => w.info);
  }

  /** Hands `value` to the first waiter; false when nobody waits. */
  grant(value: T): boolean {
    const waiter = this.front.shift() ?? this.back.shift();
    if (!waiter) return false;
    waiter.signal.removeEventListener("abort", waiter.onAbort);
    waiter.resolve(value);
    return true;
  }

  /** Hands `value` to every waiter. */
  grantAll(value: T): void {
    while (this.grant(value));
  }

  /** Rejects every waiter with `reason`. */
  rejectAll(reason: unknown): void {
    this.rejectWhere(() => reason);
  }

  /** Rejects the waiters for which `reasonFor(info)` returns a reason (anything but undefined); the others stay in order. */
  rejectWhere(reasonFor: (info: I) => unknown): void {
    for (const queue of [this.front, this.back]) {
      for (let i = queue.length - 1; i >= 0; i--) {
        const reason = reasonFor(queue[i].info);
        if (reason === undefined) continue;
        const [waiter] = queue.splice(i, 1);
        waiter.signal.removeEventListener("abort", waiter.onAbort);
        waiter.reject(reason);
      }
    }
  }
}
