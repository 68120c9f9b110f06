// What every call runs, loaded with a client's first call rather than with the client (deferred-stack.ts):
// openapi-fetch's request builder, the transport and the resilience pipeline. Everything that can be wrong with
// the client's options was checked before, when the client was created.
import openapiFetch, { type ClientOptions, type FetchResponse, type HeadersOptions, type Middleware } from "openapi-fetch";
import type { MediaType } from "openapi-typescript-helpers";
import type { Authenticator } from "../auth/types.js";
import { InvalidResponseError, type OperationRef } from "../errors.js";
import type { EventHub } from "../events.js";
import type { ResolvedResilience } from "../resilience/options.js";
import { buildPipeline, type Pipeline } from "../resilience/pipeline.js";
import type { LimitSharing } from "../resilience/rate-limit/types.js";
import type { CallResilienceOptions } from "../resilience/types.js";
import { createTransport, requestRefused, type Transport } from "./transport.js";

// openapi-fetch's CJS build sets `exports.default` without `__esModule`, so a bundled CJS consumer (our dist/index.cjs)
// sees the whole exports object as the default import. Take the function from wherever it is.
const createClient: typeof openapiFetch =
  typeof openapiFetch === "function" ? openapiFetch : (openapiFetch as unknown as { default: typeof openapiFetch }).default;

export interface CallStackConfig {
  resilience: ResolvedResilience;
  events: EventHub;
  sharing: LimitSharing | undefined;
  fetch: typeof globalThis.fetch;
  apiOrigin: string;
  apiBase: string;
  auth: Authenticator | undefined;
  headers: HeadersOptions | undefined;
  querySerializer: ClientOptions["querySerializer"];
  bodySerializer: ClientOptions["bodySerializer"];
  /** The middleware added before the stack was loaded, in order. */
  middleware: Middleware[];
}

/** openapi-fetch's answer to one call, before the client turns an error body into a `GenesysApiError`. */
export interface RawResult {
  data?: unknown;
  error?: unknown;
  response: Response;
}

export interface CallStack {
  pipeline: Pipeline;
  transport: Transport;
  use(...middleware: Middleware[]): void;
  eject(...middleware: Middleware[]): void;
  /** Builds the request with openapi-fetch (params, body, middleware) and sends it through the transport. */
  request(operation: OperationRef, init: object, resilience: CallResilienceOptions | undefined, fetch: typeof globalThis.fetch | undefined): Promise<RawResult>;
}

export function createCallStack(config: CallStackConfig): CallStack {
  const { resilience, events, sharing, fetch, apiOrigin, apiBase, auth, headers, querySerializer, bodySerializer, middleware } = config;
  const pipeline = buildPipeline(resilience, events, { sharing });
  const transport = createTransport({ fetch, apiOrigin, auth, pipeline, events });
  const inner = createClient({ baseUrl: apiBase, headers, querySerializer, bodySerializer });
  inner.use(...middleware);
  const send = inner.request as (method: string, path: string, init: object) => Promise<FetchResponse<object, object, MediaType>>;

  async function request(
    operation: OperationRef,
    init: object,
    callResilience: CallResilienceOptions | undefined,
    callFetch: typeof globalThis.fetch | undefined,
  ) {
    const { method, path } = operation;
    let last: Response | undefined;
    const sendOne = async (req: Request) => (last = await transport.send(req, { path, resilience: callResilience, fetch: callFetch }));
    try {
      return (await send(method.toLowerCase(), path, { ...init, fetch: sendOne })) as RawResult;
    } catch (error) {
      // Building the Request failed (e.g. an invalid header value in `headers`): typed, and its value not quoted.
      if (error instanceof TypeError && !last) throw requestRefused(error, operation);
      // openapi-fetch parses a success's JSON body; one that is not JSON is the server's fault, not a bug of the caller.
      if (!(error instanceof SyntaxError) || !last) throw error;
      const correlationId = last.headers.get("inin-correlation-id") ?? undefined;
      throw new InvalidResponseError(
        `${method} ${path}: the server answered ${last.status} with a body that is not valid JSON.`,
        operation,
        last.status,
        correlationId,
        { cause: error },
      );
    }
  }

  return { pipeline, transport, use: (...m) => inner.use(...m), eject: (...m) => inner.eject(...m), request };
}
