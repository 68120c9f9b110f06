// Tokens obtained elsewhere: a fixed string, or a function the SDK calls when it needs one.
import { AuthError, ConfigurationError } from "../errors.js";
import type { AccessTokenAuth, Authenticator } from "./types.js";

export function createAccessTokenAuthenticator({ accessToken }: AccessTokenAuth): Authenticator {
  if (typeof accessToken === "string") {
    if (accessToken === "") throw new ConfigurationError("auth.accessToken is an empty string.");
    // A fixed token cannot be renewed: a 401 goes to the caller.
    return { token: async () => accessToken, invalidate: () => false };
  }
  if (typeof accessToken !== "function") {
    throw new ConfigurationError(`auth.accessToken must be a string or a function returning one, not ${typeof accessToken}.`);
  }

  // Concurrent requests share one pending call of the function.
  let pending: Promise<string> | undefined;
  const call = async (): Promise<string> => {
    let value: unknown;
    try {
      value = await accessToken();
    } catch (error) {
      const kind = error instanceof Error ? error.name : typeof error;
      throw new AuthError(`The auth.accessToken function threw (${kind}); see \`cause\`.`, undefined, undefined, { cause: error });
    }
    if (typeof value !== "string" || value === "") {
      throw new AuthError(`The auth.accessToken function returned ${value === "" ? "an empty string" : typeof value}, not a token.`);
    }
    return value;
  };
  return {
    token() {
      pending ??= call().finally(() => (pending = undefined));
      return pending;
    },
    // Called again after a 401: the app may have a newer token by then.
    invalidate: () => true,
  };
}
