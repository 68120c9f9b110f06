// Per-attempt timeout and total deadline, as cockatiel cooperative timeouts: each gives a signal that fires after
// `ms`, and we decide what it means. `abortOnReturn: false` matters: the response is returned with its body still
// unread, and aborting on return (cockatiel's default) would cut that body off. A timeout covers the wait for the
// response headers; reading the body is the caller's, bounded by the caller's own signal.
import { timeout, TimeoutStrategy } from "cockatiel";
import { TimeoutError, type OperationRef } from "../errors.js";
import { anySignal } from "./abort.js";

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
  const policy = timeout(ms, { strategy: TimeoutStrategy.Cooperative, abortOnReturn: false });
  return policy.execute(async ({ signal: timer }) => {
    try {
      return await run(anySignal(outer, timer));
    } catch (error) {
      if (timer.aborted && !outer.aborted) {
        onTimeout();
        throw new TimeoutError(scope, ms, operation);
      }
      throw error;
    }
  });
}
