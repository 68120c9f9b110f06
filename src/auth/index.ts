// Auth: picks the authenticator for the configured `auth` option. The transport only sees the `Authenticator` seam.
import type { SharedTokenStore } from "../coordination/types.js";
import { ConfigurationError } from "../errors.js";
import type { EventHub } from "../events.js";
import { createAccessTokenAuthenticator } from "./access-token.js";
import { createClientCredentialsAuthenticator } from "./client-credentials.js";
import type { AuthOptions, Authenticator } from "./types.js";

export type * from "./types.js";

export interface AuthContext {
  /** Where the token endpoint is (`https://login.<region domain>`, or `loginUrl` with its path). */
  loginBase: string;
  fetch: typeof fetch;
  events: EventHub;
  /** Clock, for tests. Default `Date.now`. */
  now?: () => number;
  /** The fleet's shared token (from a coordinator), for client credentials. */
  tokenStore?: SharedTokenStore | undefined;
}

/** Undefined when `auth` is absent: requests then go without an Authorization header. */
export function createAuthenticator(auth: AuthOptions | undefined, ctx: AuthContext): Authenticator | undefined {
  if (auth === undefined) return undefined;
  if (auth && typeof auth === "object") {
    if ("accessToken" in auth) return createAccessTokenAuthenticator(auth);
    if ("clientId" in auth || "clientSecret" in auth) return createClientCredentialsAuthenticator(auth, ctx);
  }
  throw new ConfigurationError("auth must be { clientId, clientSecret } or { accessToken }.");
}
