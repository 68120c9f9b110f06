// Which outcomes of an attempt are worth another attempt, and which count against a route group's circuit.
// 429 means "not processed", so it is safe for any method; anything that may have reached the server (5xx,
// network errors, timeouts) is only retried when repeating the request cannot do the work twice.
import { TimeoutError } from "../errors.js";
import type { RetryReason } from "../events.js";

/** Methods HTTP defines as idempotent (RFC 9110 §9.2.2): repeating them has the effect of sending them once. */
export const IDEMPOTENT_METHODS: ReadonlySet<string> = new Set(["GET", "HEAD", "OPTIONS", "PUT", "DELETE"]);

/** What one attempt ended with: a response (any status) or an error. */
export type AttemptOutcome = { response: Response; error?: undefined } | { error: unknown; response?: undefined };

export interface RetryRuleOptions {
  method: string;
  /** The call's own declaration; overrides the method's idempotency either way. */
  idempotent?: boolean | undefined;
  retryOn500: boolean;
}

export const isIdempotent = (method: string, declared?: boolean): boolean => declared ?? IDEMPOTENT_METHODS.has(method.toUpperCase());

/** Fetch rejects with a TypeError for network failures (DNS, refused, reset), in Node and browsers alike. */
export const isNetworkError = (error: unknown): boolean => error instanceof TypeError;

export const isAttemptTimeout = (error: unknown): boolean => error instanceof TimeoutError && error.scope === "attempt";

/** Why `outcome` should be retried, or undefined when it must not be (success, 4xx, 500, caller abort, …). */
export function retryReason(outcome: AttemptOutcome, { method, idempotent, retryOn500 }: RetryRuleOptions): RetryReason | undefined {
  const safe = isIdempotent(method, idempotent);
  if (outcome.response) {
    const { status } = outcome.response;
    if (status === 429) return "rate-limited";
    if (status === 502 || status === 503 || status === 504) return safe ? "server-error" : undefined;
    if (status === 500) return retryOn500 && safe ? "server-error" : undefined;
    return undefined;
  }
  if (isAttemptTimeout(outcome.error)) return safe ? "timeout" : undefined;
  if (isNetworkError(outcome.error)) return safe ? "network-error" : undefined;
  return undefined; // caller abort, total deadline, auth errors, bugs
}

/** Failures that count towards opening a circuit: 5xx, network errors, attempt timeouts. Never 429 or other 4xx. */
export function isBreakerFailure(outcome: AttemptOutcome): boolean {
  if (outcome.response) return outcome.response.status >= 500;
  return isAttemptTimeout(outcome.error) || isNetworkError(outcome.error);
}
