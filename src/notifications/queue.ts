// The stream's events waiting for the consumer: one async iterator, bounded. Past `max` the oldest events are
// dropped and reported (once the consumer pulls again, or at the end) as one overflow interval, never silently.

export interface Overflow {
  from: number;
  to: number;
  topics: Set<string>;
  dropped: number;
}

export interface EventQueue<T extends { topicName: string }> {
  push(item: T): void;
  /** Ends the iteration after the buffered events; with `error`, the iteration throws it instead. */
  end(error?: unknown): void;
  iterator(onReturn: () => Promise<void>): AsyncIterator<T>;
  readonly size: number;
}

export function createEventQueue<T extends { topicName: string }>(max: number, onOverflow: (overflow: Overflow) => void): EventQueue<T> {
  let items: { item: T; at: number }[] = [];
  let head = 0;
  let waiter: ((result: IteratorResult<T>) => void) | undefined;
  let failWaiter: ((error: unknown) => void) | undefined;
  let ended = false;
  let error: unknown;
  let overflow: Overflow | undefined;
  let iterating = false;

  const size = () => items.length - head;
  const flushOverflow = () => {
    if (!overflow) return;
    const o = overflow;
    overflow = undefined;
    onOverflow(o);
  };

  function take(): IteratorResult<T> | undefined {
    if (size() === 0) return ended && error === undefined ? { done: true, value: undefined } : undefined;
    const { item } = items[head++];
    if (head > 1024 && head * 2 > items.length) {
      items = items.slice(head);
      head = 0;
    }
    return { done: false, value: item };
  }

  return {
    push(item) {
      if (ended) return;
      if (waiter) {
        const resolve = waiter;
        waiter = failWaiter = undefined;
        return resolve({ done: false, value: item });
      }
      items.push({ item, at: Date.now() });
      if (size() > max) {
        const dropped = items[head++];
        overflow ??= { from: dropped.at, to: dropped.at, topics: new Set(), dropped: 0 };
        overflow.to = dropped.at;
        overflow.topics.add(dropped.item.topicName);
        overflow.dropped++;
      }
    },
    end(reason) {
      if (ended) return;
      ended = true;
      error = reason;
      flushOverflow();
      if (waiter) {
        const resolve = waiter;
        const reject = failWaiter!;
        waiter = failWaiter = undefined;
        if (reason === undefined) resolve({ done: true, value: undefined });
        else reject(reason);
      }
    },
    iterator(onReturn) {
      if (iterating) throw new TypeError("A notification stream can be iterated once at a time: iterate it in one loop, or open another stream.");
      iterating = true;
      return {
        next() {
          flushOverflow();
          const ready = take();
          if (ready) return Promise.resolve(ready);
          if (ended) {
            const reason = error;
            error = undefined; // thrown once; after that the iteration is just done
            return reason === undefined ? Promise.resolve({ done: true, value: undefined }) : Promise.reject(reason);
          }
          return new Promise<IteratorResult<T>>((resolve, reject) => {
            waiter = resolve;
            failWaiter = reject;
          });
        },
        async return() {
          iterating = false;
          await onReturn();
          return { done: true, value: undefined };
        },
      };
    },
    get size() {
      return size();
    },
  };
}
