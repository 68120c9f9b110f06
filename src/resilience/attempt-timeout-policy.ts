// The per-attempt timeout (`timeout.attemptMs`, per call `timeoutMs`): from the moment the request goes out until
// its answer is read — headers and body, so a body that stalls after the headers cannot hang a call.
// Ours, not cockatiel's TimeoutPolicy: it runs on every attempt of every call, and cockatiel's (an executor,
// event emitters and a derived controller per run, plus AbortSignal.any) cost more than the rest of the pipeline
// together on a fast network (measured with the overhead bench). A plain timer and one AbortController instead.
import { TimeoutError } from "../errors.js";
import type { EventHub } from "../events.js";
import { neverAborted } from "./abort.js";
import type { CallState } from "./call-state.js";
import { Stage, type StagePolicy } from "./stage.js";

/** Largest delay setTimeout accepts (2³¹−1 ms); longer timeouts count as none. */
const MAX_TIMEOUT_MS = 2_147_483_647;

export const hasTimeout = (ms: number | undefined): ms is number => ms !== undefined && ms > 0 && ms <= MAX_TIMEOUT_MS;

export class AttemptTimeoutStage extends Stage {
  constructor(private readonly events: EventHub) {
    super();
  }

  forCall(call: CallState): StagePolicy {
    const ms = call.settings.attemptMs;
    return this.view(async (fn, outer) => {
      if (!hasTimeout(ms)) return fn({ signal: outer });
      const controller = new AbortController();
      const follow = () => controller.abort(outer.reason);
      if (outer.aborted) follow();
      else if (outer !== neverAborted) outer.addEventListener("abort", follow, { once: true });
      let timedOut = false;
      const timer = setTimeout(() => {
        timedOut = true;
        controller.abort();
      }, ms);
      try {
        return await fn({ signal: controller.signal });
      } catch (error) {
        if (timedOut && !outer.aborted) {
          this.events.emit("timeout", { scope: "attempt", timeoutMs: ms, ...call.operation });
          throw new TimeoutError("attempt", ms, call.operation);
        }
        throw error;
      } finally {
        clearTimeout(timer);
        outer.removeEventListener("abort", follow);
      }
    });
  }
}
