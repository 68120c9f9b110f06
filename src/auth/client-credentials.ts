// OAuth client credentials: token requests (with their own small retry) behind a single-flight cache.
import { ConfigurationError } from "../errors.js";
import { checkNumber, checkSection, definedOnly, INTEGER_AT_LEAST_1, MS_ABOVE_0, MS_AT_LEAST_0 } from "../validate.js";
import type { SharedTokenStore } from "../coordination/types.js";
import type { EventHub } from "../events.js";
import { createRedactor } from "./redact.js";
import { createSharedTokenSource } from "./shared-token.js";
import { createTokenCache, type FetchedToken } from "./token-cache.js";
import { basicCredential } from "./token-endpoint.js";
import { requestToken, TOKEN_REQUEST_DEFAULTS } from "./token-request.js";
import type { Authenticator, ClientCredentialsAuth } from "./types.js";

export const DEFAULT_REFRESH_SKEW_MS = 60_000;

export interface ClientCredentialsContext {
  /** `https://login.mypurecloud.com` (or `loginUrl`, its path kept): the token endpoint is `<loginBase>/oauth/token`. */
  loginBase: string;
  fetch: typeof globalThis.fetch;
  events: EventHub;
  /** Clock, for tests. Default `Date.now`. */
  now?: () => number;
  /** The fleet's token (a coordinator's): one token request per lifetime for every process of this OAuth client. */
  tokenStore?: SharedTokenStore | undefined;
}

export function createClientCredentialsAuthenticator(auth: ClientCredentialsAuth, ctx: ClientCredentialsContext): Authenticator {
  const { clientId, clientSecret, refreshSkewMs = DEFAULT_REFRESH_SKEW_MS } = auth;
  if (typeof clientId !== "string" || clientId === "") throw new ConfigurationError("auth.clientId must be a non-empty string.");
  // The secret's value never appears in a message, even a configuration one.
  if (typeof clientSecret !== "string" || clientSecret === "") throw new ConfigurationError("auth.clientSecret must be a non-empty string.");
  checkNumber("auth.refreshSkewMs", refreshSkewMs, MS_AT_LEAST_0);
  checkSection("auth.tokenRequest", auth.tokenRequest);
  const options = { ...TOKEN_REQUEST_DEFAULTS, ...definedOnly(auth.tokenRequest) };
  checkNumber("auth.tokenRequest.maxAttempts", options.maxAttempts, INTEGER_AT_LEAST_1);
  checkNumber("auth.tokenRequest.baseDelayMs", options.baseDelayMs, MS_AT_LEAST_0);
  checkNumber("auth.tokenRequest.maxRetryAfterMs", options.maxRetryAfterMs, MS_AT_LEAST_0);
  checkNumber("auth.tokenRequest.timeoutMs", options.timeoutMs, MS_ABOVE_0);

  const authorization = basicCredential(clientId, clientSecret);
  const endpoint = {
    url: `${ctx.loginBase}/oauth/token`,
    authorization,
    fetch: ctx.fetch,
    redact: createRedactor([clientSecret, `${clientId}:${clientSecret}`, authorization, authorization.slice("Basic ".length)]),
  };
  const fromEndpoint = async (signal: AbortSignal): Promise<FetchedToken> => {
    const { accessToken, lifetimeMs } = await requestToken(endpoint, options, ctx.events, signal);
    return { value: accessToken, lifetimeMs };
  };
  const store = ctx.tokenStore;
  const shared = store ? createSharedTokenSource({ store, requestToken: fromEndpoint, refreshSkewMs }) : undefined;
  const cache = createTokenCache({ refreshSkewMs, now: ctx.now, fetchToken: shared ? shared.fetchToken : fromEndpoint });
  // Another process's 401 rejected the fleet's token: drop it here too, before it costs a 401 of our own.
  store?.onChange((change) => {
    if (change.type === "invalidated") cache.invalidateIf(change.matches);
  });
  return {
    token: (signal) => cache.get(signal),
    invalidate(failed) {
      cache.invalidate(failed);
      shared?.invalidate(failed);
      // A fresh token can always be requested (if that fails, the AuthError reaches the caller).
      return true;
    },
  };
}
