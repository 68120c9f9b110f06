// Auth. PLACEHOLDER until the auth issue lands: static or function tokens only.
import { ConfigurationError } from "../errors.js";
import type { EventHub } from "../events.js";
import type { AuthOptions, Authenticator } from "./types.js";

export type * from "./types.js";

export interface AuthContext {
  loginOrigin: string;
  fetch: typeof fetch;
  events: EventHub;
}

export function createAuthenticator(auth: AuthOptions | undefined, _ctx: AuthContext): Authenticator | undefined {
  if (!auth) return undefined;
  if ("accessToken" in auth) {
    const source = auth.accessToken;
    return {
      token: async () => (typeof source === "function" ? await source() : source),
      invalidate: () => typeof source === "function",
    };
  }
  throw new ConfigurationError("client credentials auth is not implemented yet");
}
