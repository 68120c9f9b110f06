// Per-attempt timeout and total deadline: each gives `run` a signal that fires after `ms` or when the outer signal
// does, and we decide what it means. A plain timer and one AbortController: cockatiel's TimeoutPolicy (an
// executor, event emitters and a derived controller per run) plus `AbortSignal.any` cost more than the rest of the
// pipeline together on a fast network (measured with the overhead bench).
// The response is returned with its body still unread: the timer stops at the headers (a timeout covers the wait
// for them), but the link to the outer signal stays, so the caller's abort still cuts the body off while it is read.
// That link is a listener on the call's signal, which is per request (every `Request` has its own), so it goes
// with the request; on failure it is removed at once.
import { TimeoutError, type OperationRef } from "../errors.js";
import { neverAborted } from "./abort.js";

/** Largest delay setTimeout accepts (2³¹−1 ms); longer timeouts count as none. */
const MAX_TIMEOUT_MS = 2_147_483_647;

export const hasTimeout = (ms: number | undefined): ms is number => ms !== undefined && ms > 0 && ms <= MAX_TIMEOUT_MS;

/**
 * Runs `run` with a signal that fires after `ms` or when `outer` fires. When the timeout (not `outer`) ended it,
 * the error becomes `TimeoutError` with `scope`, and `onTimeout` is told.
 */
export async function withTimeout<T>(
  ms: number | undefined,
  scope: "attempt" | "total",
  operation: OperationRef,
  outer: AbortSignal,
  run: (signal: AbortSignal) => Promise<T>,
  onTimeout: () => void,
): Promise<T> {
  if (!hasTimeout(ms)) return run(outer);
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
    return await run(controller.signal);
  } catch (error) {
    outer.removeEventListener("abort", follow);
    if (timedOut && !outer.aborted) {
      onTimeout();
      throw new TimeoutError(scope, ms, operation);
    }
    throw error;
  } finally {
    clearTimeout(timer);
  }
}
