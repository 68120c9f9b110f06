// What makes one of our stages a cockatiel policy: `execute(fn, signal)` plus the success/failure events every
// IPolicy has. A stage is the client's (it owns the shared state and the events); the pipeline makes a view of it
// per call (`forCall`), because wrap() gives a policy nothing but `fn` and the signal.
import { EventEmitter, type IDefaultPolicyContext, type IFailureEvent, type IPolicy, type ISuccessEvent } from "cockatiel";
import { neverAborted } from "./abort.js";
import type { CallState } from "./call-state.js";

/** A call's view of a stage: an ordinary cockatiel policy. */
export type StagePolicy = IPolicy<IDefaultPolicyContext>;

/** What a stage hands inward: the signal (its own, e.g. a timeout's) and, past the auth stage, the token. */
export interface StageContext extends IDefaultPolicyContext {
  token?: string;
  attempt?: number;
}

/** An async function (it never throws synchronously: the view may hand its promise straight back). */
type Run = (fn: (context: StageContext) => unknown, signal: AbortSignal) => Promise<unknown>;

export abstract class Stage {
  private readonly successes = new EventEmitter<ISuccessEvent>();
  private readonly failures = new EventEmitter<IFailureEvent>();
  /** Fires when an execution through this stage returned (for any call of the client). */
  readonly onSuccess = this.successes.addListener;
  /** Fires when an execution through this stage threw. */
  readonly onFailure = this.failures.addListener;

  /** This stage as a cockatiel policy for one call. */
  abstract forCall(call: CallState): StagePolicy;

  protected view(run: Run): StagePolicy {
    const { successes, failures, onSuccess, onFailure } = this;
    return {
      onSuccess,
      onFailure,
      // Nobody listening (nearly always): the stage's own promise, without a second async frame around it.
      execute<T>(fn: (context: IDefaultPolicyContext) => PromiseLike<T> | T, signal: AbortSignal = neverAborted): Promise<T> {
        if (successes.size > 0 || failures.size > 0) return timed(run, successes, failures, fn, signal);
        return run(fn, signal) as Promise<T>;
      },
    } as StagePolicy;
  }
}

/** An execution through a stage that someone watches: its duration goes to the success or failure listeners. */
async function timed<T>(
  run: Run,
  successes: EventEmitter<ISuccessEvent>,
  failures: EventEmitter<IFailureEvent>,
  fn: (context: IDefaultPolicyContext) => PromiseLike<T> | T,
  signal: AbortSignal,
): Promise<T> {
  const started = performance.now();
  try {
    const value = (await run(fn, signal)) as T;
    successes.emit({ duration: performance.now() - started });
    return value;
  } catch (error) {
    failures.emit({ duration: performance.now() - started, handled: false, reason: { error: error as Error } });
    throw error;
  }
}
