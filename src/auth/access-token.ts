// Tokens obtained elsewhere: a fixed string, or a function the SDK calls when it needs one.
import { AuthError, ConfigurationError } from "../errors.js";
import { neverAborted } from "../resilience/abort.js";
import { WaiterQueue } from "../resilience/waiters.js";
import { checkNumber, MS_ABOVE_0 } from "../validate.js";
import type { AccessTokenAuth, Authenticator } from "./types.js";

export const DEFAULT_ACCESS_TOKEN_TIMEOUT_MS = 30_000;

export function createAccessTokenAuthenticator({ accessToken, timeoutMs = DEFAULT_ACCESS_TOKEN_TIMEOUT_MS }: AccessTokenAuth): Authenticator {
  if (typeof accessToken === "string") {
    if (accessToken === "") throw new ConfigurationError("auth.accessToken is an empty string.");
    // A fixed token cannot be renewed: a 401 goes to the caller.
    return { token: async () => accessToken, invalidate: () => false };
  }
  if (typeof accessToken !== "function") {
    throw new ConfigurationError(`auth.accessToken must be a string or a function returning one, not ${typeof accessToken}.`);
  }
  checkNumber("auth.timeoutMs", timeoutMs, MS_ABOVE_0);

  // Concurrent requests share one pending call of the function; each waits with its own signal, and a call that
  // never settles is given up after `timeoutMs` (its late answer is dropped), so it cannot hang the client.
  const tokenFunction = accessToken;
  let pending: WaiterQueue<string> | undefined;

  function call(): WaiterQueue<string> {
    const waiters = new WaiterQueue<string>();
    const settle = (outcome: { value: string } | { error: AuthError }) => {
      clearTimeout(timer);
      if (pending !== waiters) return; // given up already
      pending = undefined;
      if ("value" in outcome) waiters.grantAll(outcome.value);
      else waiters.rejectAll(outcome.error);
    };
    const timer = setTimeout(() => settle({ error: new AuthError(`The auth.accessToken function did not return a token within ${timeoutMs} ms.`) }), timeoutMs);
    pending = waiters;
    new Promise<unknown>((resolve) => resolve(tokenFunction())).then(
      (value) =>
        settle(
          typeof value === "string" && value !== ""
            ? { value }
            : { error: new AuthError(`The auth.accessToken function returned ${value === "" ? "an empty string" : typeof value}, not a token.`) },
        ),
      (error: unknown) => {
        const kind = error instanceof Error ? error.name : typeof error;
        settle({ error: new AuthError(`The auth.accessToken function threw (${kind}); see \`cause\`.`, undefined, undefined, { cause: error }) });
      },
    );
    return waiters;
  }

  return {
    token: (signal = neverAborted) => (pending ?? call()).wait(signal, undefined),
    // Called again after a 401: the app may have a newer token by then.
    invalidate: () => true,
  };
}
