// Auth options and the seam the transport uses.

/** OAuth client credentials grant against `https://login.<region domain>/oauth/token` (or `loginUrl`). */
export interface ClientCredentialsAuth {
  clientId: string;
  clientSecret: string;
  /** Renew this long before the token expires. Default 60 s. */
  refreshSkewMs?: number;
}

/** A token obtained elsewhere: a string, or a (possibly async) function called when a token is needed. */
export interface AccessTokenAuth {
  accessToken: string | (() => string | Promise<string>);
}

export type AuthOptions = ClientCredentialsAuth | AccessTokenAuth;

/** What the transport needs from auth. */
export interface Authenticator {
  /** The bearer token to send now (fetched, cached or renewed as needed). */
  token(signal?: AbortSignal): Promise<string>;
  /** Drops `failed` after a 401, so the next `token()` gets a fresh one. False when a fresh one cannot be had. */
  invalidate(failed: string): boolean;
}
