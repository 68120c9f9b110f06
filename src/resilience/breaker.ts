// One circuit breaker per route group (cockatiel's CircuitBreakerPolicy + ConsecutiveBreaker), opened by
// consecutive 5xx / network / timeout failures; 429 and other 4xx are answers, not failures.
//
// How cockatiel is used, and why:
//  - the attempt hands its outcome back as a *value* and the policy judges it with `handleWhenResult`, so a 503
//    reaches the caller as a response while still counting as a failure;
//  - outcomes that say nothing about the service (caller abort, deadline, auth errors) are *thrown*: unhandled, they
//    leave the count alone when closed; during a half-open probe they count as a failed probe (cockatiel would
//    otherwise close the circuit on them), so the circuit stays open rather than guessing;
//  - while a probe is in flight cockatiel makes other callers wait for it (without their abort signal); we fail
//    them fast instead, like the open state, so nobody waits on a service that may still be down.
import { BrokenCircuitError, circuitBreaker, CircuitState, ConsecutiveBreaker, handleWhen, type CircuitBreakerPolicy } from "cockatiel";
import { BreakerOpenError, type OperationRef } from "../errors.js";
import type { EventHub } from "../events.js";
import { isBreakerFailure, type AttemptOutcome } from "./retry-rules.js";
import type { BreakerState } from "./types.js";

export interface BreakerConfig {
  consecutiveFailures: number;
  halfOpenAfterMs: number;
}

export interface Breakers {
  /** Throws `BreakerOpenError` when the group's circuit refuses calls right now (open, or a probe in flight). */
  check(group: string, operation: OperationRef): void;
  /** Runs one attempt through the group's circuit. `run` returns informative outcomes and throws the rest. */
  execute(group: string, operation: OperationRef, run: () => Promise<AttemptOutcome>): Promise<AttemptOutcome>;
  states(): Record<string, BreakerState>;
}

interface Circuit {
  policy: CircuitBreakerPolicy;
  openedAt: number;
}

const STATE_NAMES: Record<CircuitState, BreakerState> = {
  [CircuitState.Closed]: "closed",
  [CircuitState.Open]: "open",
  [CircuitState.HalfOpen]: "half-open",
  [CircuitState.Isolated]: "open",
};

export function createBreakers({ consecutiveFailures, halfOpenAfterMs }: BreakerConfig, events: EventHub): Breakers {
  const circuits = new Map<string, Circuit>();

  function circuit(group: string): Circuit {
    let c = circuits.get(group);
    if (c) return c;
    const handled = handleWhen(() => policy.state === CircuitState.HalfOpen).orWhenResult((r) => isBreakerFailure(r as AttemptOutcome));
    const policy = circuitBreaker(handled, { halfOpenAfter: halfOpenAfterMs, breaker: new ConsecutiveBreaker(consecutiveFailures) });
    const created: Circuit = { policy, openedAt: 0 };
    policy.onBreak(() => {
      created.openedAt = Date.now(); // cockatiel stamps its own openedAt with Date.now() just before this event
      events.emit("breakerOpen", { routeGroup: group, probeAt: created.openedAt + halfOpenAfterMs });
    });
    policy.onHalfOpen(() => events.emit("breakerHalfOpen", { routeGroup: group }));
    policy.onReset(() => events.emit("breakerClose", { routeGroup: group }));
    circuits.set(group, (c = created));
    return c;
  }

  function refuse(group: string, c: Circuit, operation: OperationRef): never {
    const probeAt = c.policy.state === CircuitState.HalfOpen ? Date.now() : c.openedAt + halfOpenAfterMs;
    throw new BreakerOpenError(group, probeAt, operation);
  }

  return {
    check(group, operation) {
      const c = circuits.get(group);
      if (!c) return;
      const { state } = c.policy;
      if (state === CircuitState.HalfOpen) refuse(group, c, operation);
      if (state === CircuitState.Open && Date.now() < c.openedAt + halfOpenAfterMs) refuse(group, c, operation);
    },
    async execute(group, operation, run) {
      const c = circuit(group);
      // Checked synchronously right before cockatiel's own (synchronous) state switch: no race.
      if (c.policy.state === CircuitState.HalfOpen) refuse(group, c, operation);
      try {
        return (await c.policy.execute(run)) as AttemptOutcome;
      } catch (error) {
        if (error instanceof BrokenCircuitError) refuse(group, c, operation);
        throw error;
      }
    },
    states() {
      return Object.fromEntries([...circuits].map(([group, c]) => [group, STATE_NAMES[c.policy.state]]));
    },
  };
}
