// The one retry loop of the SDK: API calls and the token endpoint both run through it, each with its own rules.
//
// Why not cockatiel's RetryPolicy: its delay is a plain timer that ignores the abort signal (in 3.x and 4.0), so
// an aborted call would sleep on; it counts attempts but has no time budget; and it cannot end a call with "the
// last answer" when the budget runs out. The backoff steps are cockatiel's (ExponentialBackoff with decorrelated
// jitter), the shape is cockatiel's (a policy with `onRetry`/`onGiveUp` events that return a disposable).
//
// How a call ends when retrying stops at a bound (attempts, `maxRetryAfterMs`, budget, an open circuit) is the
// rules' `exhausted`: for API calls the last answer, or a RetryBudgetExceededError when the last outcome was an error.
import { EventEmitter } from "cockatiel";
import { BreakerOpenError } from "../errors.js";
import type { GiveUpReason, RetryReason } from "../events.js";
import { sleep } from "./abort.js";
import { decorrelatedJitterBackoff, jitteredRetryAfter, type Backoff } from "./backoff.js";
import type { CallState } from "./call-state.js";
import { Stage, type StagePolicy } from "./stage.js";

export type Outcome<T> = { value: T; error?: undefined } | { error: unknown; value?: undefined };

export interface RetryRules<T> {
  /** Why `outcome` is worth another attempt, or undefined to end the call with it. */
  reason(outcome: Outcome<T>, call: CallState): RetryReason | undefined | Promise<RetryReason | undefined>;
  /** The wait the server asked for (`Retry-After`), in ms. */
  serverWaitMs(outcome: Outcome<T>): number | undefined | Promise<number | undefined>;
  /**
   * Ends a call whose retrying stopped at a bound: returns the value to give the caller, or throws. `detail` says
   * which bound; `serverWaitMs` is the wait the server asked for, when it asked.
   */
  exhausted(
    outcome: Outcome<T>,
    stop: { attempts: number; reason: Exclude<GiveUpReason, "breaker-open">; detail: string; serverWaitMs?: number },
    call: CallState,
  ): T;
  /** Ends a call whose outcome is not retried (no reason): returns the value or throws the error as the caller should see it. */
  final(outcome: Outcome<T>, attempts: number, call: CallState): T;
}

export interface RetryEvent {
  call: CallState;
  /** The attempt that failed (1 = the first). */
  attempt: number;
  delayMs: number;
  reason: RetryReason;
  outcome: Outcome<unknown>;
}

export interface GiveUpEvent {
  call: CallState;
  reason: GiveUpReason;
  attempts: number;
  outcome: Outcome<unknown>;
}

export class RetryStage<T> extends Stage {
  private readonly retries = new EventEmitter<RetryEvent>();
  private readonly giveUps = new EventEmitter<GiveUpEvent>();
  /** A failed attempt will be tried again after `delayMs`. */
  readonly onRetry = this.retries.addListener;
  /** Retrying stopped at a bound before the call succeeded. */
  readonly onGiveUp = this.giveUps.addListener;

  constructor(private readonly rules: RetryRules<T>) {
    super();
  }

  forCall(call: CallState): StagePolicy {
    return this.view((fn, signal) => this.run(call, fn as (context: { signal: AbortSignal; attempt: number }) => Promise<T>, signal));
  }

  private async run(call: CallState, fn: (context: { signal: AbortSignal; attempt: number }) => Promise<T>, signal: AbortSignal): Promise<T> {
    const { rules } = this;
    const plan = call.settings.retry;
    let backoff: Backoff | undefined; // made on the first retry: most calls need none
    let last: Outcome<T> | undefined;
    for (let attempts = 1; ; attempts++) {
      call.attempt = attempts;
      let outcome: Outcome<T>;
      try {
        outcome = { value: await fn({ signal, attempt: attempts - 1 }) };
      } catch (error) {
        if (signal.aborted) throw error; // the caller's abort or the deadline: nothing to decide
        // The circuit refused this retry and the call cannot wait for it: end with what the last attempt gave.
        if (error instanceof BreakerOpenError && last && "value" in last) {
          this.giveUps.emit({ call, reason: "breaker-open", attempts: attempts - 1, outcome: last });
          return last.value as T;
        }
        outcome = { error };
      }
      last = outcome;
      const reason = await rules.reason(outcome, call);
      if (!reason) return rules.final(outcome, attempts, call);
      const stop = (reason: "max-attempts" | "retry-budget" | "retry-after-too-long", detail: string, serverWaitMs?: number): T => {
        this.giveUps.emit({ call, reason, attempts, outcome });
        return rules.exhausted(outcome, { attempts, reason, detail, serverWaitMs }, call);
      };
      if (attempts >= plan.maxAttempts) return stop("max-attempts", `${attempts} attempt(s) allowed`);

      const serverWait = await rules.serverWaitMs(outcome);
      if (serverWait !== undefined && serverWait > plan.maxRetryAfterMs) {
        return stop("retry-after-too-long", `more than maxRetryAfterMs (${plan.maxRetryAfterMs} ms)`, serverWait);
      }
      const delay =
        serverWait !== undefined
          ? jitteredRetryAfter(serverWait, plan.retryAfterJitterMs)
          : (backoff ??= decorrelatedJitterBackoff(plan.baseDelayMs, plan.maxDelayMs)).next();
      if (call.waitedMs + delay > plan.budgetMs) {
        return stop("retry-budget", `waiting ${delay} ms more would pass the retry budget of ${plan.budgetMs} ms (${Math.round(call.waitedMs)} ms waited)`);
      }
      this.retries.emit({ call, attempt: attempts, delayMs: delay, reason, outcome });
      await sleep(delay, signal);
      call.waitedMs += delay;
    }
  }
}
