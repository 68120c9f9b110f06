// The one fetch wrapper every SDK call goes through: buffers the request body once, hands each attempt to the
// resilience pipeline (with the auth stage when the request goes to the API origin), and reads each answer whole
// inside its attempt — so the attempt timeout and the deadline cover the body, a connection that breaks mid-body
// is a NetworkError like any other, and an answer that is retried has freed its connection already.
import { AuthStage } from "../auth/auth-policy.js";
import { createRedactor, safeCause } from "../auth/redact.js";
import type { Authenticator } from "../auth/types.js";
import { ConfigurationError, InvalidResponseError, NetworkError, type OperationRef } from "../errors.js";
import { BufferedResponse } from "./buffered-response.js";
import type { EventHub } from "../events.js";
import type { AttemptContext, Pipeline } from "../resilience/pipeline.js";
import { isNetworkFailure, networkErrorCode } from "../resilience/retry-rules.js";
import type { CallResilienceOptions } from "../resilience/types.js";

export interface TransportConfig {
  fetch: typeof globalThis.fetch;
  /** Origin (`https://api.mypurecloud.com`) whose requests get the bearer token. */
  apiOrigin: string;
  auth: Authenticator | undefined;
  pipeline: Pipeline;
  events: EventHub;
}

export interface SendOptions {
  /** Path template of the operation, e.g. `/api/v2/users/{userId}`. */
  path: string;
  resilience?: CallResilienceOptions | undefined;
  /** A per-call fetch replacing the client's for the network attempt. */
  fetch?: typeof globalThis.fetch | undefined;
}

export interface Transport {
  send(request: Request, options: SendOptions): Promise<Response>;
}

/** Failures before any byte left: the request cannot have been processed. */
const NOT_SENT = new Set(["ECONNREFUSED", "ENOTFOUND", "EAI_AGAIN", "EHOSTUNREACH", "ENETUNREACH", "ENETDOWN", "UND_ERR_CONNECT_TIMEOUT", "ConnectionRefused"]);

export function createTransport({ fetch: clientFetch, apiOrigin, auth, pipeline, events }: TransportConfig): Transport {
  const authStage = auth ? new AuthStage(auth, events) : undefined;
  // A Request's url is normalized (lower-case host, no default port, always a path), so a prefix test settles the
  // common case without parsing; anything else is parsed, so the rule stays "same origin" exactly.
  const apiPrefix = `${apiOrigin}/`;
  const isApiUrl = (url: string) => url.startsWith(apiPrefix) || new URL(url).origin === apiOrigin;

  return {
    async send(request, { path, resilience, fetch = clientFetch }) {
      const { method, url } = request;
      const operation: OperationRef = { method, path };
      // Buffered once, as a Blob: every attempt (retry, 401 replay, a 307/308 redirect) sends the same bytes. An
      // ArrayBuffer would be detached by the first send, failing every later one.
      const body = request.body ? new Blob([await request.arrayBuffer()]) : undefined;

      const sendOnce = async ({ signal, token }: AttemptContext): Promise<Response> => {
        const headers = new Headers(request.headers);
        if (token) headers.set("authorization", `Bearer ${token}`);
        let response: Response;
        try {
          response = await fetch(url, { method, headers, body, signal, redirect: request.redirect });
        } catch (error) {
          throw failure(error, signal, operation, token, false);
        }
        let bytes: ArrayBuffer;
        try {
          bytes = await response.arrayBuffer();
        } catch (error) {
          throw failure(error, signal, operation, token, true);
        }
        return rebuild(response, bytes, operation);
      };

      const bearer = authStage && isApiUrl(url) ? authStage : undefined;
      return pipeline.execute({ method, path, options: resilience, signal: request.signal }, sendOnce, bearer);
    },
  };
}

/** The answer again, with its body in memory. */
function rebuild(response: Response, bytes: ArrayBuffer, operation: OperationRef): Response {
  try {
    return new BufferedResponse(new Uint8Array(bytes), response);
  } catch (error) {
    const correlationId = response.headers.get("inin-correlation-id") ?? undefined;
    throw new InvalidResponseError(
      `${operation.method} ${operation.path}: the server answered with status ${response.status}, which is not a valid HTTP answer.`,
      operation,
      response.status,
      correlationId,
      { cause: error },
    );
  }
}

/** What a failed fetch or body read becomes: the abort as is (the stage that aborted decides), a NetworkError, or a ConfigurationError for a request fetch refuses to send. */
function failure(error: unknown, signal: AbortSignal, operation: OperationRef, token: string | undefined, afterHeaders: boolean): unknown {
  if (signal.aborted) return error;
  const redact = token ? createRedactor([token]) : (text: string) => text;
  const where = `${operation.method} ${operation.path}`;
  const message = error instanceof Error ? error.message : String(error);
  const code = networkErrorCode(error);
  if (code || isNetworkFailure(error)) {
    const sent = afterHeaders || !code || !NOT_SENT.has(code);
    const what = afterHeaders
      ? "the connection broke while the answer was read"
      : sent
        ? "the connection failed before an answer arrived"
        : "the connection could not be made";
    return new NetworkError(`${where}: ${what} (${code ?? redact(message)}).`, operation, code, sent, { cause: safeCause(error, redact) });
  }
  return error instanceof TypeError ? requestRefused(error, operation, redact) : error;
}

/**
 * fetch (or the Request constructor) refused to build the request — an invalid header value, a bad method, …: it
 * fails the same way every time, so it is neither retried nor counted by a circuit. Its message may quote a
 * header value: quotes are not copied.
 */
export function requestRefused(error: TypeError, operation: OperationRef, redact: (text: string) => string = (text) => text): ConfigurationError {
  const scrub = (text: string) => redact(text).replace(/"[^"]*"/g, '"…"');
  return new ConfigurationError(
    `${operation.method} ${operation.path}: the request could not be built (${error.name}: ${scrub(error.message)}); nothing was sent.`,
    {
      cause: safeCause(error, scrub),
    },
  );
}
