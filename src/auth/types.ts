// Auth options and the seam the transport uses.

/** The token endpoint's own small retry (separate from the API calls' resilience pipeline). */
export interface TokenRequestOptions {
  /** Attempts in all, the first included. Default 3. */
  maxAttempts?: number;
  /** First backoff step after a 5xx, a network error or a timeout; doubled per attempt, with jitter. Default 500 ms. */
  baseDelayMs?: number;
  /** A 429 whose `Retry-After` is longer than this ends the token request with `AuthError` instead of waiting. Default 30 s. */
  maxRetryAfterMs?: number;
  /** Timeout of one attempt. Default 16 s. */
  timeoutMs?: number;
}

/** OAuth client credentials grant against `https://login.<region domain>/oauth/token` (or `loginUrl`). */
export interface ClientCredentialsAuth {
  clientId: string;
  clientSecret: string;
  /**
   * Renew this long before the token expires. Default 60 s. Never more than half the token's lifetime, so a
   * short-lived token is not renewed on every call. Inside this window callers keep getting the still-valid
   * token while one renewal runs in the background; only an expired (or 401-rejected) token makes callers wait.
   */
  refreshSkewMs?: number;
  /** Retry of the token request itself. Defaults above. */
  tokenRequest?: TokenRequestOptions;
}

/**
 * A token obtained elsewhere: a string, or a (possibly async) function. The function is called whenever a
 * request needs a token (concurrent requests share one pending call), and again after a 401 — cache inside it
 * if getting a token is expensive. A string cannot be renewed: a 401 goes straight to the caller.
 */
export interface AccessTokenAuth {
  accessToken: string | (() => string | Promise<string>);
  /**
   * How long a call of the token function may take; past it the calls waiting for it fail with `AuthError` and
   * the next call asks the function again. Each call's own signal and deadline end its wait sooner.
   * @default 30_000
   */
  timeoutMs?: number;
}

export type AuthOptions = ClientCredentialsAuth | AccessTokenAuth;

/** What the transport needs from auth. */
export interface Authenticator {
  /** The bearer token to send now (fetched, cached or renewed as needed). */
  token(signal?: AbortSignal): Promise<string>;
  /** Drops `failed` after a 401, so the next `token()` gets a fresh one. False when a fresh one cannot be had. */
  invalidate(failed: string): boolean;
}
