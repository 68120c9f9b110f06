// The token endpoint's own small retry, on the SDK's one retry loop (resilience/retry-policy.ts) with rules of its
// own: a few attempts, 429 honouring Retry-After (up to a cap), 5xx / network errors / timeouts with backoff. It
// sits below the token cache, so it runs once per renewal, not once per caller. A bad answer ends in one
// AuthError; a caller's abort ends the wait at once.
import { AuthError } from "../errors.js";
import type { EventHub } from "../events.js";
import type { CallState } from "../resilience/call-state.js";
import { DEFAULT_RETRY } from "../resilience/defaults.js";
import { RetryStage, type RetryRules } from "../resilience/retry-policy.js";
import type { TokenRequestOptions } from "./types.js";
import { requestTokenOnce, type IssuedToken, type TokenEndpoint } from "./token-endpoint.js";

/** Failures of one attempt that are worth another (429, 5xx, network, timeout); the rest end the request. */
const retryable = new WeakSet<AuthError>();

const tokenRules: RetryRules<IssuedToken> = {
  reason(outcome) {
    const { error } = outcome;
    if (!(error instanceof AuthError) || !retryable.has(error)) return undefined;
    return error.status === 429 ? "rate-limited" : error.status === undefined ? "network-error" : "server-error";
  },
  serverWaitMs: ({ error }) => (error instanceof AuthError && error.retryAfter !== undefined ? error.retryAfter * 1000 : undefined),
  exhausted(outcome, { attempts, reason }, call) {
    const error = outcome.error as AuthError;
    const tooLong =
      reason === "retry-after-too-long"
        ? `Retry-After ${error.retryAfter} s is longer than tokenRequest.maxRetryAfterMs ${call.settings.retry.maxRetryAfterMs} ms; `
        : "";
    throw new AuthError(`${error.message} (${tooLong}gave up after ${attempts} attempt(s))`, error.status, error.code, {
      cause: error.cause,
      retryAfter: error.retryAfter,
    });
  },
  final(outcome) {
    if (outcome.error !== undefined) throw outcome.error;
    return outcome.value!;
  },
};

const retry = new RetryStage(tokenRules);

export function requestToken(endpoint: TokenEndpoint, options: Required<TokenRequestOptions>, events: EventHub, signal: AbortSignal): Promise<IssuedToken> {
  const call: CallState = {
    operation: { method: "POST", path: "/oauth/token" },
    routeGroup: "oauth",
    settings: {
      retry: {
        ...DEFAULT_RETRY,
        maxAttempts: options.maxAttempts,
        baseDelayMs: options.baseDelayMs,
        maxRetryAfterMs: options.maxRetryAfterMs,
        budgetMs: Infinity,
      },
      idempotent: true,
      attemptMs: options.timeoutMs,
      totalMs: undefined,
      policies: [],
      replaceBuiltIns: undefined,
    },
    deadlineAt: Infinity,
    waitedMs: 0,
    attempt: 0,
    sent: 0,
  };
  return retry.forCall(call).execute(async ({ signal: attemptSignal }) => {
    const started = performance.now();
    const outcome = await requestTokenOnce(endpoint, attemptSignal, options.timeoutMs);
    events.emit("tokenRequest", { ok: outcome.kind === "token", status: outcome.status, durationMs: Math.round(performance.now() - started) });
    if (outcome.kind === "token") return outcome.token;
    if (outcome.kind === "retry") retryable.add(outcome.error);
    throw outcome.error;
  }, signal);
}
