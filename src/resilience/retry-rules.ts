// Which outcomes of an attempt are worth another attempt, and which count against a route group's circuit.
// 429 means "not processed", so it is safe for any method; anything that may have reached the server (5xx,
// network errors, timeouts) is only retried when repeating the request cannot do the work twice.
import { NetworkError, TimeoutError } from "../errors.js";
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

// Codes of failures of the network itself (Node's system errors, undici's socket errors), not of the request.
// A TypeError alone proves nothing: fetch also throws one for an invalid header value, a bad method or a body on
// a GET — bugs that fail the same way every time and must be neither retried nor counted by a breaker.
const NETWORK_CODES = new Set([
  "ECONNREFUSED",
  "ECONNRESET",
  "ECONNABORTED",
  "EPIPE",
  "ETIMEDOUT",
  "ENOTFOUND",
  "EAI_AGAIN",
  "EHOSTUNREACH",
  "EHOSTDOWN",
  "ENETUNREACH",
  "ENETDOWN",
  "ENETRESET",
  "EPROTO",
  "UND_ERR_SOCKET",
  "UND_ERR_CONNECT_TIMEOUT",
  "UND_ERR_HEADERS_TIMEOUT",
  "UND_ERR_BODY_TIMEOUT",
  "UND_ERR_CLOSED",
  "ConnectionRefused",
  "ConnectionClosed",
]);
// What browsers, Deno and React Native say when the network failed; they give no code.
const NETWORK_MESSAGES = new Set([
  "Failed to fetch", // Chrome
  "NetworkError when attempting to fetch resource.", // Firefox
  "Load failed", // Safari
  "Network request failed", // React Native, whatwg-fetch
  "The Internet connection appears to be offline.", // Safari
]);

/** The error (or one of its causes) is a failure of the network, by its code — or a browser's network message. */
export function networkErrorCode(error: unknown, depth = 0): string | undefined {
  if (!error || typeof error !== "object" || depth > 4) return undefined;
  const code = (error as { code?: unknown }).code;
  if (typeof code === "string" && NETWORK_CODES.has(code)) return code;
  for (const inner of (error as { errors?: unknown[] }).errors ?? []) {
    const found = networkErrorCode(inner, depth + 1);
    if (found) return found;
  }
  return networkErrorCode((error as { cause?: unknown }).cause, depth + 1);
}

export function isNetworkFailure(error: unknown): boolean {
  if (networkErrorCode(error)) return true;
  return error instanceof TypeError && error.cause === undefined && NETWORK_MESSAGES.has(error.message);
}

/** The SDK's own network error (the transport turns network failures into one). */
export const isNetworkError = (error: unknown): boolean => error instanceof NetworkError;

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
  // A connection that could not even be made carried no request: safe to repeat whatever the method.
  if (isNetworkError(outcome.error)) return safe || !(outcome.error as NetworkError).mayHaveBeenProcessed ? "network-error" : undefined;
  return undefined; // caller abort, total deadline, auth errors, bugs
}

/** Failures that count towards opening a circuit: 5xx, network errors, attempt timeouts. Never 429 or other 4xx. */
export function isBreakerFailure(outcome: AttemptOutcome): boolean {
  if (outcome.response) return outcome.response.status >= 500;
  return isAttemptTimeout(outcome.error) || isNetworkError(outcome.error);
}
