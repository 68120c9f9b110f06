// The retry loop of one call. cockatiel's RetryPolicy is not used: its delay ignores the abort signal, and it knows
// nothing of `Retry-After`, retry budgets or "end with the last response". Rules are in retry-rules.ts, waits in
// backoff.ts.
//
// How a call ends when retrying stops at a bound (attempts, `maxRetryAfterMs`, budget, an open circuit):
//  - last outcome an HTTP response → that response (the caller gets its 429/503 as `{ error }`, as without retries),
//    except a `Retry-After` above `maxRetryAfterMs`, which throws `RetryBudgetExceededError` (`retry-after-too-long`)
//    at once, without sleeping: the caller must hear that the server asked for an unreasonable wait;
//  - last outcome an error (network, attempt timeout) → `RetryBudgetExceededError` with the error as `cause`
//    (or the error itself when there was only one attempt; `BreakerOpenError` when the circuit refused the retry).
// Every wait watches the call's signal, so an abort or the deadline ends it at once. An answer that is retried is
// read into memory before the wait (its connection is free again) and dropped when the next attempt answers.
import { BreakerOpenError, RetryBudgetExceededError, type OperationRef } from "../errors.js";
import type { EventHub } from "../events.js";
import { sleep } from "./abort.js";
import { decorrelatedJitterBackoff, jitteredRetryAfter } from "./backoff.js";
import { retryAfterMs } from "./retry-after.js";
import type { ResolvedRetry } from "./options.js";
import { retryReason, type AttemptOutcome } from "./retry-rules.js";

export interface RetryLoop {
  retry: ResolvedRetry;
  idempotent: boolean | undefined;
  operation: OperationRef;
  /** Fires on caller abort or deadline: ends any wait. */
  signal: AbortSignal;
  events: EventHub;
  /** One attempt; `isRetry` lets it go ahead of new calls; `budgetLeftMs` is what the retry budget has left for waits. Throws what must end the call. */
  attempt(isRetry: boolean, budgetLeftMs: number): Promise<AttemptOutcome>;
  onRetry(): void;
}

/** Frees the connection of an answer nobody will read. */
export const discard = (response: Response): void => void response.body?.cancel().catch(() => undefined);

/** A retried answer's body that takes longer than this to arrive is dropped (the attempt timeout ends at its headers). */
const SETTLE_TIMEOUT_MS = 5_000;

/**
 * Reads an answer that is being retried into memory, freeing its connection for the wait, yet keeping it whole in
 * case it ends the call after all (the circuit may refuse the next attempt). Error bodies are small; one that
 * stalls is cancelled rather than waited for.
 */
async function settle(response: Response): Promise<Response> {
  const init = { status: response.status, statusText: response.statusText, headers: response.headers };
  if (!response.body) return new Response(null, init);
  const reader = response.body.getReader();
  let cut = false;
  const timer = setTimeout(() => {
    cut = true;
    reader.cancel().catch(() => undefined);
  }, SETTLE_TIMEOUT_MS);
  const chunks: Uint8Array[] = [];
  try {
    for (let r = await reader.read(); !r.done; r = await reader.read()) chunks.push(r.value);
  } catch {
    cut = true;
  } finally {
    clearTimeout(timer);
  }
  if (cut || chunks.length === 0) return new Response(null, init);
  return new Response(await new Blob(chunks as BlobPart[]).arrayBuffer(), init);
}

export async function runWithRetry({ retry, idempotent, operation, signal, events, attempt, onRetry }: RetryLoop): Promise<Response> {
  const { method, path } = operation;
  let backoff: ReturnType<typeof decorrelatedJitterBackoff> | undefined; // made on the first retry: most calls need none
  let waited = 0;
  let last: AttemptOutcome | undefined;

  const giveUp = (outcome: AttemptOutcome, attempts: number, reason: "max-attempts" | "retry-budget", detail: string): Response => {
    events.emit("giveUp", { reason, attempts, status: outcome.response?.status, method, path });
    if (outcome.response) return outcome.response;
    if (attempts === 1) throw outcome.error;
    throw new RetryBudgetExceededError(reason, attempts, detail, operation, undefined, { cause: outcome.error });
  };

  for (let attempts = 1; ; attempts++) {
    let outcome: AttemptOutcome;
    try {
      outcome = await attempt(attempts > 1, retry.budgetMs - waited);
    } catch (error) {
      // The circuit opened while this call was waiting to retry: end with what the last attempt gave.
      if (error instanceof BreakerOpenError && last) {
        events.emit("giveUp", { reason: "breaker-open", attempts: attempts - 1, status: last.response?.status, method, path });
        if (last.response) return last.response;
      }
      throw error;
    }
    last = outcome;
    const reason = retryReason(outcome, { method, idempotent, retryOn500: retry.retryOn500 });
    if (!reason) {
      if (outcome.response) return outcome.response;
      throw outcome.error;
    }
    const status = outcome.response?.status;
    if (attempts >= retry.maxAttempts) return giveUp(outcome, attempts, "max-attempts", `${attempts} attempt(s) allowed, last ${describe(outcome)}`);

    const serverWait = outcome.response ? retryAfterMs(outcome.response.headers) : undefined;
    if (serverWait !== undefined && serverWait > retry.maxRetryAfterMs) {
      events.emit("giveUp", { reason: "retry-after-too-long", attempts, status, method, path });
      if (outcome.response) discard(outcome.response);
      throw new RetryBudgetExceededError(
        "retry-after-too-long",
        attempts,
        `the server asked to retry after ${Math.round(serverWait / 1000)} s (${status}), more than maxRetryAfterMs (${retry.maxRetryAfterMs} ms).`,
        operation,
        status,
      );
    }
    const delay = serverWait !== undefined ? jitteredRetryAfter(serverWait, retry.retryAfterJitterMs) : (backoff ??= decorrelatedJitterBackoff(retry.baseDelayMs, retry.maxDelayMs)).next();
    if (waited + delay > retry.budgetMs) {
      return giveUp(outcome, attempts, "retry-budget", `waiting ${delay} ms more would pass the retry budget of ${retry.budgetMs} ms (${waited} ms waited), last ${describe(outcome)}`);
    }
    onRetry();
    events.emit("retry", { attempt: attempts, delayMs: delay, reason, status, method, path });
    if (outcome.response) last = { response: await settle(outcome.response) };
    await sleep(delay, signal);
    waited += delay;
  }
}

const describe = (outcome: AttemptOutcome): string =>
  outcome.response ? `answer ${outcome.response.status}` : `error: ${outcome.error instanceof Error ? outcome.error.message : String(outcome.error)}`;
