// OAuth client credentials: the options are checked when the client is made; the token flow (requests with their
// own small retry behind a single-flight cache) is loaded with the first token, so clients given an access token
// (browsers) never ship it.
import { ConfigurationError } from "../errors.js";
import { checkNumber, checkSection, definedOnly, INTEGER_AT_LEAST_1, MS_ABOVE_0, MS_AT_LEAST_0 } from "../validate.js";
import type { SharedTokenStore } from "../coordination/types.js";
import type { EventHub } from "../events.js";
import type { Authenticator, ClientCredentialsAuth, TokenRequestOptions } from "./types.js";

export const DEFAULT_REFRESH_SKEW_MS = 60_000;

export const TOKEN_REQUEST_DEFAULTS: Required<TokenRequestOptions> = {
  maxAttempts: 3,
  baseDelayMs: 500,
  maxRetryAfterMs: 30_000,
  timeoutMs: 16_000,
};

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

  const settings = { clientId, clientSecret, refreshSkewMs, options };
  let flow: Authenticator | undefined;
  let loading: Promise<Authenticator> | undefined;
  const load = () =>
    (loading ??= import("./token-flow.js").then(
      ({ createTokenFlow }) => (flow = createTokenFlow(settings, ctx)),
      (error: unknown) => {
        loading = undefined; // a chunk that failed to load is asked for again by the next call
        throw error;
      },
    ));
  return {
    token: async (signal) => (flow ?? (await load())).token(signal),
    // Before the flow is loaded there is no token to drop; a fresh one can always be requested.
    invalidate: (failed) => flow?.invalidate(failed) ?? true,
  };
}
