// The concurrency cap of a client, per *attempt*: a call sleeping before a retry, or held at an open circuit, holds
// no slot, so calls backing off from one failing route group cannot starve the others; a retry goes ahead of new
// calls (and past the queue bound: it was admitted already), so calls under way finish first.
// Ours, not cockatiel's BulkheadPolicy: that one leaves an aborted caller in its queue until a slot frees and
// cannot put a retry first.
import { BulkheadFullError } from "../errors.js";
import type { EventHub } from "../events.js";
import type { CallState } from "./call-state.js";
import { Stage, type StagePolicy } from "./stage.js";
import { WaiterQueue } from "./waiters.js";

export interface BulkheadConfig {
  maxConcurrent: number;
  maxQueued: number;
}

export class BulkheadStage extends Stage {
  private active = 0;
  private readonly queue = new WaiterQueue<void>();

  constructor(
    private readonly config: BulkheadConfig,
    private readonly events: EventHub,
  ) {
    super();
  }

  /** Attempts holding a slot. */
  get running(): number {
    return this.active;
  }

  /** Calls waiting for a slot. */
  get queued(): number {
    return this.queue.size;
  }

  forCall(call: CallState): StagePolicy {
    return this.view(async (fn, signal) => {
      await this.acquire(call, signal);
      try {
        return await fn({ signal });
      } finally {
        // The slot passes straight to the next waiter, if any; `active` stays.
        if (!this.queue.grant()) this.active--;
      }
    });
  }

  private acquire(call: CallState, signal: AbortSignal): Promise<void> | void {
    if (signal.aborted) throw signal.reason;
    const { maxConcurrent, maxQueued } = this.config;
    if (this.active < maxConcurrent) {
      this.active++;
      return;
    }
    const retry = call.attempt > 1;
    if (!retry && this.queue.size >= maxQueued) {
      this.events.emit("bulkheadReject", { ...call.operation, queued: this.queue.size });
      throw new BulkheadFullError(maxConcurrent, maxQueued, call.operation);
    }
    return this.queue.wait(signal, undefined, retry);
  }
}
