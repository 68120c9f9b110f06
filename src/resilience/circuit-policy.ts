// One circuit per route group: cockatiel's CircuitBreakerPolicy deciding, by default with a SamplingBreaker
// (failure rate over a sliding window, with a minimum throughput) and a half-open delay that doubles after
// each failed probe (ExponentialBackoff), up to a cap. 5xx answers, network errors and attempt timeouts are failures; 429 and other 4xx are not.
//
// What we add around it (this file), because "fail fast" is the wrong answer for a call that can wait:
//  - a call that meets an open circuit and still has retry budget (and deadline) for the wait is *held* until the
//    half-open probe has answered, instead of failing; only a call that cannot wait fails at once with
//    BreakerOpenError (nothing sent). Holding costs no bulkhead slot.
//  - while open, only the probe reaches the server: an attempt admitted while closed that queued (bulkhead, rate
//    limiter) while the circuit opened is stopped right before it would be sent (`CallState.admit`) and held.
//  - cockatiel lets the other callers of a half-open circuit wait for the probe without their abort signal; here
//    they wait in our abort-aware queue.
//  - a probe that ends for a local reason (abort, a full queue) counts as a failed probe: cockatiel would close the
//    circuit on an unhandled error, and we would rather stay open than guess.
import {
  BrokenCircuitError,
  circuitBreaker,
  CircuitState,
  ConsecutiveBreaker,
  ExponentialBackoff,
  handleWhen,
  noJitterGenerator,
  SamplingBreaker,
  type CircuitBreakerPolicy,
  type IBackoff,
  type IBackoffFactory,
} from "cockatiel";
import { BreakerOpenError } from "../errors.js";
import type { EventHub } from "../events.js";
import { recoveryAllowance, type CallState } from "./call-state.js";
import { isAttemptTimeout, isNetworkError } from "./retry-rules.js";
import { Stage, type StagePolicy } from "./stage.js";
import type { BreakerState } from "./types.js";
import { WaiterQueue } from "./waiters.js";

export interface CircuitConfig {
  failureRate: number;
  samplingMs: number;
  minimumRps: number;
  consecutiveFailures?: number | undefined;
  halfOpenAfterMs: number;
  maxHalfOpenAfterMs: number;
}

const STATE_NAMES: Record<CircuitState, BreakerState> = {
  [CircuitState.Closed]: "closed",
  [CircuitState.Open]: "open",
  [CircuitState.HalfOpen]: "half-open",
  [CircuitState.Isolated]: "open",
};

/** Wraps a backoff factory so that every delay it hands cockatiel is also told to `record`. */
function recording<C>(factory: IBackoffFactory<C>, record: (ms: number) => void): IBackoffFactory<C> {
  const wrap = (backoff: IBackoff<C>): IBackoff<C> => {
    record(backoff.duration);
    return { duration: backoff.duration, next: (context) => wrap(backoff.next(context)) };
  };
  return { next: (context) => wrap(factory.next(context)) };
}

class Circuit {
  readonly policy: CircuitBreakerPolicy;
  /** Epoch ms (cockatiel's clock is Date.now) from which the open circuit lets one probe through. */
  probeAt = 0;
  /** The call whose attempt is the half-open probe. */
  probe: CallState | undefined;
  /** What the probe's attempt threw: a failed probe, whatever it was. */
  probeError: unknown;
  readonly holds = new WaiterQueue<void, { until: number }>({ onEmpty: () => this.disarm() });
  private timer: ReturnType<typeof setTimeout> | undefined;
  private delay = 0;

  constructor(
    readonly group: string,
    config: CircuitConfig,
    events: EventHub,
  ) {
    const { failureRate, samplingMs, minimumRps, consecutiveFailures, halfOpenAfterMs, maxHalfOpenAfterMs } = config;
    const failure = (error: unknown) => error === this.probeError || isNetworkError(error) || isAttemptTimeout(error);
    const handled = handleWhen(failure).orWhenResult((r) => r instanceof Response && r.status >= 500);
    const backoff = new ExponentialBackoff({ generator: noJitterGenerator, initialDelay: halfOpenAfterMs, maxDelay: maxHalfOpenAfterMs });
    this.policy = circuitBreaker(handled, {
      halfOpenAfter: recording(backoff, (ms) => (this.delay = ms)),
      breaker: consecutiveFailures
        ? new ConsecutiveBreaker(consecutiveFailures)
        : new SamplingBreaker({ threshold: failureRate, duration: samplingMs, minimumRps }),
    });
    this.policy.onBreak(() => {
      this.probeAt = Date.now() + Math.ceil(this.delay); // cockatiel stamped its openedAt with Date.now() just before this event
      events.emit("breakerOpen", { routeGroup: group, probeAt: this.probeAt });
      // Held calls that cannot wait for the next probe give up now; the others wait on.
      this.holds.rejectWhere(({ until }) => (until < this.probeAt ? this.refusal() : undefined));
      this.arm();
    });
    this.policy.onHalfOpen(() => events.emit("breakerHalfOpen", { routeGroup: group }));
    this.policy.onReset(() => {
      events.emit("breakerClose", { routeGroup: group });
      this.holds.grantAll();
      this.disarm();
    });
  }

  get state(): CircuitState {
    return this.policy.state;
  }

  refusal(operation = { method: "", path: "" }): BreakerOpenError {
    const probeAt = this.state === CircuitState.HalfOpen ? Date.now() : this.probeAt;
    return new BreakerOpenError(this.group, probeAt, operation);
  }

  /** Throws BreakerOpenError when the circuit no longer lets `call`'s attempt go out. */
  admit(call: CallState): void {
    // The probe itself may get here a moment before cockatiel has switched to half-open.
    if (this.state !== CircuitState.Closed && this.probe !== call) throw this.refusal(call.operation);
  }

  /** Waits until the circuit may let `call` through; throws BreakerOpenError at once when the call cannot wait that long. */
  async hold(call: CallState, signal: AbortSignal): Promise<void> {
    if (this.state === CircuitState.Closed) return; // closed again meanwhile: try at once
    const allowance = recoveryAllowance(call);
    const wait = this.state === CircuitState.Open ? this.probeAt - Date.now() : 0;
    if (allowance <= 0 || wait > allowance) throw this.refusal(call.operation);
    const started = Date.now();
    const held = this.holds.wait(signal, { until: started + allowance });
    this.arm();
    try {
      await held;
    } catch (error) {
      throw error instanceof BreakerOpenError ? this.refusal(call.operation) : error;
    } finally {
      call.waitedMs += Date.now() - started;
    }
  }

  /** One timer while calls are held: at the probe time (all held calls retry; the first becomes the probe) or when the first held call's allowance runs out. */
  private arm(): void {
    this.disarm();
    if (this.holds.size === 0) return;
    const open = this.state === CircuitState.Open;
    const now = Date.now();
    const at = Math.min(open ? this.probeAt : Infinity, ...this.holds.infos().map(({ until }) => until));
    if (at === Infinity) return; // half-open: the probe's answer releases them
    this.timer = setTimeout(
      () => {
        this.timer = undefined;
        const t = Date.now();
        this.holds.rejectWhere(({ until }) => (until <= t ? this.refusal() : undefined));
        if (this.state === CircuitState.Open && t >= this.probeAt) this.holds.grantAll();
        else this.arm();
      },
      Math.max(1, at - now),
    );
  }

  private disarm(): void {
    if (this.timer !== undefined) clearTimeout(this.timer);
    this.timer = undefined;
  }
}

export class CircuitStage extends Stage {
  private readonly circuits = new Map<string, Circuit>();

  constructor(
    private readonly config: CircuitConfig,
    private readonly events: EventHub,
  ) {
    super();
  }

  forCall(call: CallState): StagePolicy {
    return this.view(async (fn, signal) => {
      const c = this.circuit(call.routeGroup);
      for (;;) {
        const { state } = c;
        if (state === CircuitState.Closed || (state === CircuitState.Open && Date.now() >= c.probeAt)) {
          if (state === CircuitState.Open) c.probe = call; // cockatiel turns half-open synchronously inside execute
          call.admit = () => c.admit(call);
          try {
            return await c.policy.execute(async (context) => {
              try {
                return await fn(context);
              } catch (error) {
                if (c.probe === call) c.probeError = error;
                throw error;
              }
            }, signal);
          } catch (error) {
            if (!(error instanceof BrokenCircuitError || error instanceof BreakerOpenError)) throw error;
          } finally {
            call.admit = undefined;
            if (c.probe === call) c.probe = c.probeError = undefined;
          }
        }
        await c.hold(call, signal);
      }
    });
  }

  /** Calls held at open circuits. */
  get held(): number {
    let n = 0;
    for (const c of this.circuits.values()) n += c.holds.size;
    return n;
  }

  states(): Record<string, BreakerState> {
    return Object.fromEntries([...this.circuits].map(([group, c]) => [group, STATE_NAMES[c.state]]));
  }

  private circuit(group: string): Circuit {
    let c = this.circuits.get(group);
    if (!c) this.circuits.set(group, (c = new Circuit(group, this.config, this.events)));
    return c;
  }
}
