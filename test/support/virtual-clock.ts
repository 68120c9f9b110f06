// Simulated time for the limiter and its tests: a virtual clock with its own timer queue (no wall clock).
import type { Clock } from "../../src/resilience/rate-limit/types.js";

export class VirtualClock implements Clock {
  private t = 0;
  private seq = 0;
  private timers = new Map<number, { at: number; fn: () => void }>();
  now = () => this.t;
  epochNow = () => 1_700_000_000_000 + this.t;
  setTimeout = (fn: () => void, ms: number): unknown => {
    const id = ++this.seq;
    this.timers.set(id, { at: this.t + Math.max(0, ms), fn });
    return id;
  };
  clearTimeout = (handle: unknown): void => void this.timers.delete(handle as number);
  /** Runs timers in time order (microtasks between them) until none is left, or up to `untilMs` (then the clock reads `untilMs`). */
  async run(untilMs?: number): Promise<void> {
    const limitMs = untilMs ?? 600_000;
    for (;;) {
      await flush();
      let next: [number, { at: number; fn: () => void }] | undefined;
      for (const entry of this.timers) if (!next || entry[1].at < next[1].at || (entry[1].at === next[1].at && entry[0] < next[0])) next = entry;
      if (!next || next[1].at > limitMs) {
        if (untilMs !== undefined) this.t = Math.max(this.t, untilMs);
        return await flush();
      }
      this.timers.delete(next[0]);
      this.t = Math.max(this.t, next[1].at);
      next[1].fn();
    }
  }
  pending(): number {
    return this.timers.size;
  }
}

const flush = async () => {
  for (let i = 0; i < 20; i++) await Promise.resolve();
};
