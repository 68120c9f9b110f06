// The retry rules of API calls: which answers and errors are tried again (retry-rules.ts), the user's
// `shouldRetry` hook on top, the server's `Retry-After`, and how a call ends when retrying stops.
import { RetryBudgetExceededError } from "../errors.js";
import type { RetryReason } from "../events.js";
import { retryAfterMs } from "./retry-after.js";
import { isIdempotent, retryReason } from "./retry-rules.js";
import type { Outcome, RetryRules } from "./retry-policy.js";

export const apiRetryRules: RetryRules<Response> = {
  async reason(outcome, call) {
    const { method, path } = call.operation;
    const { retry, idempotent } = call.settings;
    const response = outcome.value;
    const builtIn = retryReason(response ? { response } : { error: outcome.error }, { method, idempotent, retryOn500: retry.retryOn500 });
    if (!retry.shouldRetry) return builtIn;
    const verdict = await retry.shouldRetry({
      attempt: call.attempt,
      method,
      path,
      idempotent: isIdempotent(method, idempotent),
      response,
      error: outcome.error,
      retryReason: builtIn,
    });
    if (verdict === true) return builtIn ?? ("custom" satisfies RetryReason);
    return verdict === false ? undefined : builtIn;
  },

  // The header, else (Genesys's 429 body) the message's "Retry the request in [N] seconds". The body is in memory.
  async serverWaitMs({ value }) {
    if (!value) return undefined;
    const fromHeader = retryAfterMs(value.headers);
    if (fromHeader !== undefined || value.status !== 429) return fromHeader;
    return retryAfterMs(
      value.headers,
      await value
        .clone()
        .json()
        .catch(() => undefined),
    );
  },

  exhausted(outcome, { attempts, reason, detail, serverWaitMs = 0 }, call) {
    const status = outcome.value?.status;
    if (reason === "retry-after-too-long") {
      const asked = `the server asked to retry after ${Math.round(serverWaitMs / 1000)} s (${status}), ${detail}.`;
      throw new RetryBudgetExceededError(reason, attempts, asked, call.operation, status);
    }
    if (outcome.value) return outcome.value; // the caller gets the last answer, as without retries
    if (attempts === 1) throw outcome.error;
    throw new RetryBudgetExceededError(reason, attempts, `${detail}, last ${describe(outcome)}`, call.operation, undefined, { cause: outcome.error });
  },

  final(outcome) {
    if (outcome.value) return outcome.value;
    throw outcome.error;
  },
};

const describe = (outcome: Outcome<Response>): string =>
  outcome.value ? `answer ${outcome.value.status}` : `error: ${outcome.error instanceof Error ? outcome.error.message : String(outcome.error)}`;
