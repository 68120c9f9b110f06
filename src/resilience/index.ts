// The resilience pipeline. PLACEHOLDER until the resilience issue lands: one attempt, caller's signal only.
import type { EventHub } from "../events.js";
import type { Attempt, CallContext, Pipeline, ResilienceOptions } from "./types.js";

export type * from "./types.js";

export function createPipeline(_options: ResilienceOptions | false, _events: EventHub): Pipeline {
  let inFlight = 0;
  return {
    async execute(call: CallContext, attempt: Attempt) {
      inFlight++;
      try {
        return await attempt(call.signal ?? new AbortController().signal);
      } finally {
        inFlight--;
      }
    },
    stats: () => ({ inFlight, queued: 0, retries: 0, rateLimited: 0, breakers: {}, pace: undefined, pausedUntil: undefined }),
  };
}
