// What the stages of one call share. cockatiel's wrap() hands each policy only `fn` and the signal, never the
// context built by the policies outside it, so the pipeline makes one view of each stage per call, bound to this
// state; the state behind the views (circuits, bulkhead slots, the rate limiter) is the client's.
import type { OperationRef } from "../errors.js";
import type { CallSettings } from "./options.js";

export interface CallState {
  readonly operation: OperationRef;
  readonly routeGroup: string;
  readonly settings: CallSettings;
  /** `performance.now()` ms by which the call must end; Infinity without a total deadline. */
  readonly deadlineAt: number;
  /** ms spent waiting for retries and at open circuits, against `settings.retry.budgetMs`. */
  waitedMs: number;
  /** Attempts begun so far (1 during the first). */
  attempt: number;
  /** Attempts that reached the network. */
  sent: number;
  /**
   * Set by the circuit stage while an attempt runs inside it: throws `BreakerOpenError` when the circuit no longer
   * admits this attempt (it opened while the attempt queued). Called right before the request goes out.
   */
  admit?: (() => void) | undefined;
}

export const now = (): number => performance.now();

/** ms until the call's deadline (Infinity without one). */
export const untilDeadline = (call: CallState, at = now()): number => Math.max(0, call.deadlineAt - at);

/** ms this call may still wait for a server to recover: its retry budget left, within the deadline; 0 without retries. */
export function recoveryAllowance(call: CallState, at = now()): number {
  const { retry } = call.settings;
  if (retry.maxAttempts <= 1) return 0;
  return Math.max(0, Math.min(retry.budgetMs - call.waitedMs, untilDeadline(call, at)));
}
