// The client credentials token flow: token requests (with their own small retry) behind a single-flight cache,
// optionally through the fleet's shared token. Loaded by client-credentials.ts with the first token.
import { createRedactor } from "./redact.js";
import type { ClientCredentialsContext } from "./client-credentials.js";
import { createSharedTokenSource } from "./shared-token.js";
import { createTokenCache, type FetchedToken } from "./token-cache.js";
import { basicCredential } from "./token-endpoint.js";
import { requestToken } from "./token-request.js";
import type { Authenticator, TokenRequestOptions } from "./types.js";

export interface TokenFlowSettings {
  clientId: string;
  clientSecret: string;
  refreshSkewMs: number;
  options: Required<TokenRequestOptions>;
}

export function createTokenFlow({ clientId, clientSecret, refreshSkewMs, options }: TokenFlowSettings, ctx: ClientCredentialsContext): Authenticator {
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
