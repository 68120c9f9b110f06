// The token endpoint's own small retry: a few attempts, 429 honouring Retry-After (up to a cap), 5xx / network
// errors / timeouts with exponential backoff. It sits below the token cache, so it runs once per renewal, not
// once per caller. A bad answer ends in one AuthError; a caller's abort ends the wait at once.
import { AuthError } from "../errors.js";
import type { EventHub } from "../events.js";
import type { TokenRequestOptions } from "./types.js";
import { requestTokenOnce, type IssuedToken, type TokenEndpoint } from "./token-endpoint.js";
import { sleep } from "../resilience/abort.js";

export const TOKEN_REQUEST_DEFAULTS: Required<TokenRequestOptions> = {
  maxAttempts: 3,
  baseDelayMs: 500,
  maxRetryAfterMs: 30_000,
  timeoutMs: 16_000,
};

export async function requestToken(
  endpoint: TokenEndpoint,
  options: Required<TokenRequestOptions>,
  events: EventHub,
  signal: AbortSignal,
): Promise<IssuedToken> {
  for (let attempt = 1; ; attempt++) {
    const started = performance.now();
    const outcome = await requestTokenOnce(endpoint, signal, options.timeoutMs);
    const durationMs = Math.round(performance.now() - started);
    events.emit("tokenRequest", { ok: outcome.kind === "token", status: outcome.status, durationMs });
    if (outcome.kind === "token") return outcome.token;
    if (outcome.kind === "fail") throw outcome.error;

    const { error, retryAfterMs } = outcome;
    if (retryAfterMs !== undefined && retryAfterMs > options.maxRetryAfterMs) {
      throw new AuthError(
        `${error.message} (Retry-After ${retryAfterMs / 1000} s is longer than tokenRequest.maxRetryAfterMs ${options.maxRetryAfterMs} ms; gave up after ${attempt} attempt(s))`,
        error.status,
        error.code,
        error.cause === undefined ? undefined : { cause: error.cause },
      );
    }
    if (attempt >= options.maxAttempts) {
      throw new AuthError(`${error.message} (gave up after ${attempt} attempt(s))`, error.status, error.code, error.cause === undefined ? undefined : { cause: error.cause });
    }
    await sleep(retryAfterMs ?? backoff(options.baseDelayMs, attempt), signal);
  }
}

/** base × 2^(attempt-1), with jitter in [50 %, 100 %] so many clients renewing at once spread out. */
function backoff(baseDelayMs: number, attempt: number): number {
  return baseDelayMs * 2 ** (attempt - 1) * (0.5 + Math.random() / 2);
}
