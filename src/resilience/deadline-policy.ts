// The total deadline of a call (`timeout.totalMs`, per call `deadlineMs`): cockatiel's TimeoutPolicy, aggressive,
// so the call ends at the deadline even if something inside does not watch its signal; the signal it hands inward
// ends every wait and aborts the fetch. Its TaskCancelledError becomes our TimeoutError (`scope: "total"`).
import { TaskCancelledError, timeout, TimeoutStrategy, type TimeoutPolicy } from "cockatiel";
import { TimeoutError } from "../errors.js";
import type { EventHub } from "../events.js";
import type { CallState } from "./call-state.js";
import { Stage, type StagePolicy } from "./stage.js";

export class DeadlineStage extends Stage {
  // One cockatiel policy per distinct deadline (a policy holds no per-call state; calls rarely vary it).
  private readonly policies = new Map<number, TimeoutPolicy>();

  constructor(private readonly events: EventHub) {
    super();
  }

  forCall(call: CallState): StagePolicy {
    const ms = call.settings.totalMs!;
    let policy = this.policies.get(ms);
    if (!policy) this.policies.set(ms, (policy = timeout(ms, TimeoutStrategy.Aggressive)));
    const deadline = policy;
    return this.view(async (fn, signal) => {
      // The deadline's signal fired and the caller's did not: whatever ended the call then, it ran out of time.
      const expired = (inner: AbortSignal) => inner.aborted && !signal.aborted;
      try {
        return await deadline.execute(async (context) => {
          try {
            return await fn(context);
          } catch (error) {
            throw expired(context.signal) ? new TaskCancelledError() : error;
          }
        }, signal);
      } catch (error) {
        if (!(error instanceof TaskCancelledError) || signal.aborted) throw error;
        this.events.emit("timeout", { scope: "total", timeoutMs: ms, ...call.operation });
        throw new TimeoutError("total", ms, call.operation);
      }
    });
  }
}
