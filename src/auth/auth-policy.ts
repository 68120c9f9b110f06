// Auth as a stage of the pipeline, between the retry and the attempt: it gets the token (cached, or one shared
// renewal with its own timeout and retry) before the attempt takes a circuit, bulkhead or limiter turn, hands it
// inward in the context, and after a 401 renews it and runs the attempt once more. Token failures are AuthErrors:
// not retried by the API retry, never counted by an API route group's circuit.
import { AuthError } from "../errors.js";
import type { EventHub } from "../events.js";
import type { CallState } from "../resilience/call-state.js";
import { Stage, type StagePolicy } from "../resilience/stage.js";
import type { Authenticator } from "./types.js";

// A token goes into a header as is: a control character, space or non-ASCII byte would make fetch throw an
// error that quotes the header — the token — verbatim. Such a token is refused before any request exists.
const HEADER_SAFE = /^[\x21-\x7e]+$/;

export class AuthStage extends Stage {
  constructor(
    private readonly auth: Authenticator,
    private readonly events: EventHub,
  ) {
    super();
  }

  forCall(call: CallState): StagePolicy {
    return this.view(async (fn, signal) => {
      const token = await this.token(signal);
      const response = await fn({ signal, token });
      if (!(response instanceof Response) || response.status !== 401 || !this.auth.invalidate(token)) return response;
      this.events.emit("tokenRefreshOn401", call.operation);
      return fn({ signal, token: await this.token(signal) });
    });
  }

  private async token(signal: AbortSignal): Promise<string> {
    const token = await this.auth.token(signal);
    if (!HEADER_SAFE.test(token)) {
      throw new AuthError(
        "The access token contains characters that cannot go into an Authorization header (control characters, spaces or non-ASCII); no request was sent with it.",
      );
    }
    return token;
  }
}
