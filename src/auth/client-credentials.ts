// OAuth client credentials: token requests (with their own small retry) behind a single-flight cache.
import { ConfigurationError } from "../errors.js";
import type { EventHub } from "../events.js";
import { createRedactor } from "./redact.js";
import { createTokenCache } from "./token-cache.js";
import { basicCredential } from "./token-endpoint.js";
import { requestToken, TOKEN_REQUEST_DEFAULTS } from "./token-request.js";
import type { Authenticator, ClientCredentialsAuth, TokenRequestOptions } from "./types.js";

export const DEFAULT_REFRESH_SKEW_MS = 60_000;

export interface ClientCredentialsContext {
  /** `https://login.mypurecloud.com` (or `loginUrl`). */
  loginOrigin: string;
  fetch: typeof globalThis.fetch;
  events: EventHub;
  /** Clock, for tests. Default `Date.now`. */
  now?: () => number;
}

export function createClientCredentialsAuthenticator(auth: ClientCredentialsAuth, ctx: ClientCredentialsContext): Authenticator {
  const { clientId, clientSecret, refreshSkewMs = DEFAULT_REFRESH_SKEW_MS } = auth;
  if (typeof clientId !== "string" || clientId === "") throw new ConfigurationError("auth.clientId must be a non-empty string.");
  // The secret's value never appears in a message, even a configuration one.
  if (typeof clientSecret !== "string" || clientSecret === "") throw new ConfigurationError("auth.clientSecret must be a non-empty string.");
  checkNumber("auth.refreshSkewMs", refreshSkewMs, 0);
  const options = { ...TOKEN_REQUEST_DEFAULTS, ...definedOnly(auth.tokenRequest) };
  checkNumber("auth.tokenRequest.maxAttempts", options.maxAttempts, 1, true);
  checkNumber("auth.tokenRequest.baseDelayMs", options.baseDelayMs, 0);
  checkNumber("auth.tokenRequest.maxRetryAfterMs", options.maxRetryAfterMs, 0);
  checkNumber("auth.tokenRequest.timeoutMs", options.timeoutMs, 1);

  const authorization = basicCredential(clientId, clientSecret);
  const endpoint = {
    url: `${ctx.loginOrigin}/oauth/token`,
    authorization,
    fetch: ctx.fetch,
    redact: createRedactor([clientSecret, `${clientId}:${clientSecret}`, authorization, authorization.slice("Basic ".length)]),
  };
  const cache = createTokenCache({
    refreshSkewMs,
    now: ctx.now,
    fetchToken: async (signal) => {
      const { accessToken, lifetimeMs } = await requestToken(endpoint, options, ctx.events, signal);
      return { value: accessToken, lifetimeMs };
    },
  });
  return {
    token: (signal) => cache.get(signal),
    invalidate(failed) {
      cache.invalidate(failed);
      // A fresh token can always be requested (if that fails, the AuthError reaches the caller).
      return true;
    },
  };
}

function checkNumber(name: string, value: unknown, min: number, integer = false): void {
  if (typeof value !== "number" || Number.isNaN(value) || value < min || (integer && !Number.isInteger(value))) {
    throw new ConfigurationError(`${name} must be ${integer ? "an integer" : "a number"} ≥ ${min}, got ${String(value)}.`);
  }
}

function definedOnly(options: TokenRequestOptions | undefined): TokenRequestOptions {
  return Object.fromEntries(Object.entries(options ?? {}).filter(([, v]) => v !== undefined));
}
