// createGenesysClient(): an openapi-fetch client typed with the generated `paths`, whose every call goes
// through the SDK's transport (auth + resilience). User middleware (`gc.use`) runs once per call, around it.
import openapiFetch, { type ClientOptions, type FetchResponse, type HeadersOptions, type MaybeOptionalInit, type Middleware } from "openapi-fetch";
import type { HttpMethod, MediaType, PathsWithMethod, RequiredKeysOf } from "openapi-typescript-helpers";
import { createAuthenticator } from "./auth/index.js";
import type { AuthOptions } from "./auth/types.js";
import { attachCoordinator } from "./coordination/attach.js";
import type { Coordinator } from "./coordination/types.js";
import { GenesysApiError, InvalidResponseError } from "./errors.js";
import { createEventHub, type GenesysEventName, type Listener } from "./events.js";
import type { paths as GenesysPaths } from "./generated/paths.js";
import { createJobs, type Jobs } from "./jobs/index.js";
import { createNotifications, type Notifications } from "./notifications/index.js";
import { findOperation, findOperationByRoute, type OperationMap, type OperationName } from "./operations/index.js";
import { secureBase } from "./origins.js";
import { checkFunction } from "./validate.js";
import { checkPathParameters } from "./transport/path-parameters.js";
import { createPager, type PagedPath, type PageInit, type PageInitParam, type PageItem, type PageOf } from "./pagination/index.js";
import { apiOrigin, loginOrigin, type GenesysRegion } from "./regions.js";
import { createPipeline } from "./resilience/index.js";
import type { CallResilienceOptions, ResilienceOptions, ResilienceStats } from "./resilience/types.js";
import { createTransport, requestRefused, type Transport } from "./transport/transport.js";

// openapi-fetch's CJS build sets `exports.default` without `__esModule`, so a bundled CJS consumer (our dist/index.cjs)
// sees the whole exports object as the default import. Take the function from wherever it is.
const createClient: typeof openapiFetch =
  typeof openapiFetch === "function" ? openapiFetch : (openapiFetch as unknown as { default: typeof openapiFetch }).default;

export interface GenesysClientOptions {
  /** Genesys Cloud region. Default `us_east_1` (mypurecloud.com). Ignored for the API when `baseUrl` is set. */
  region?: GenesysRegion;
  /** API origin override (simulator, proxy). `http://` only for loopback hosts. Default `https://api.<region domain>`. */
  baseUrl?: string;
  /** Login origin override for the token endpoint. Default `https://login.<region domain>`, or `baseUrl` when only that is set. */
  loginUrl?: string;
  /** Client credentials, or a token (string or function). Default none: no Authorization header. */
  auth?: AuthOptions;
  /** Headers sent with every call. */
  headers?: HeadersOptions;
  /** The fetch used for network attempts. Default `globalThis.fetch`. */
  fetch?: typeof globalThis.fetch;
  /** Resilience policies; `false` turns them all off. Defaults in the README. */
  resilience?: ResilienceOptions | false;
  /**
   * Shares the access token and what the rate limiter learns with the other processes of this OAuth client, e.g.
   * `createRedisCoordinator({ url })` from `genesys-cloud-sdk/redis`: one token request per token lifetime for the
   * fleet, a 429 pause or a learned limit one process meets paces all of them, a fleet-wide rate. When it fails or
   * is slow, this client goes on alone (`coordinatorDown`); no call fails because of it. For `accessToken` clients
   * only the rate-limit part applies.
   * @default undefined (each client alone)
   */
  coordinator?: Coordinator;
  /** openapi-fetch's query/body serializers, passed through. */
  querySerializer?: ClientOptions["querySerializer"];
  bodySerializer?: ClientOptions["bodySerializer"];
}

/** Options every call accepts on top of openapi-fetch's. */
export interface CallExtras {
  /** Per-call resilience overrides. */
  resilience?: CallResilienceOptions;
  /** Aborts the call: removes it from the queue, ends a wait, aborts the fetch. */
  signal?: AbortSignal;
}

/** openapi-fetch's result with `error` as a `GenesysApiError`. */
export type ApiResult<R> = R extends { error?: never } ? R : Omit<R, "error"> & { error: GenesysApiError };

type InitParam<Init> = RequiredKeysOf<Init> extends never ? [(Init & CallExtras & { [key: string]: unknown })?] : [Init & CallExtras & { [key: string]: unknown }];

// `M & keyof Paths[P]` and `infer … extends` satisfy openapi-fetch's constraints without widening `Paths` with an
// index signature (which would make every string a valid path), and keep ApiResult deferred until P is known.
type MethodResult<Paths, P extends keyof Paths, M extends HttpMethod, I> =
  Paths[P][M & keyof Paths[P]] extends infer Op extends Record<string | number, any> ? ApiResult<FetchResponse<Op, I, MediaType>> : never;

export type GenesysMethod<Paths extends {}, M extends HttpMethod> = <
  P extends PathsWithMethod<Paths, M>,
  I extends MaybeOptionalInit<Paths[P], M & keyof Paths[P]>,
>(
  path: P,
  ...init: InitParam<I>
) => Promise<MethodResult<Paths, P, M, I>>;

type OpPath<N extends OperationName> = OperationMap[N]["path"];
type OpMethod<N extends OperationName> = OperationMap[N]["method"];
// `infer` defers the result until N is known; with `Op & Record<…, any>` TypeScript resolved ApiResult eagerly to
// openapi-fetch's own result, so `error` was typed as the spec's ErrorBody instead of GenesysApiError.
type CallResult<N extends OperationName, I> =
  NonNullable<GenesysPaths[OpPath<N>][OpMethod<N>]> extends infer Op extends Record<string | number, any>
    ? ApiResult<FetchResponse<Op, I, MediaType>>
    : never;

export interface GenesysClient<Paths extends {} = GenesysPaths> {
  GET: GenesysMethod<Paths, "get">;
  PUT: GenesysMethod<Paths, "put">;
  POST: GenesysMethod<Paths, "post">;
  DELETE: GenesysMethod<Paths, "delete">;
  PATCH: GenesysMethod<Paths, "patch">;
  HEAD: GenesysMethod<Paths, "head">;
  OPTIONS: GenesysMethod<Paths, "options">;
  /** Calls an operation by operationId / official method name, e.g. `gc.call("getUser", { params: { path: { userId } } })`. */
  call<N extends OperationName, I extends MaybeOptionalInit<GenesysPaths[OpPath<N>], OpMethod<N>>>(
    name: N,
    ...init: InitParam<I>
  ): Promise<CallResult<N, I>>;
  /**
   * Walks a paged GET to its end, yielding every item of every page's `entities`, typed:
   * `for await (const user of gc.paginate("/api/v2/users", { params: { query: { pageSize: 100 } } }))`.
   * Follows `nextUri` (only on the API origin), page numbers or cursors, as the listing pages; each page is an
   * ordinary call (middleware, auth, resilience) and a failed page throws its `GenesysApiError`.
   * `limit` (items) and `maxPages` stop earlier.
   */
  paginate<P extends string>(path: P & PagedPath<Paths, P>, ...init: PageInitParam<PageInit<Paths, P>>): AsyncGenerator<PageItem<Paths, P>, void, undefined>;
  /** Like `paginate()`, yielding whole typed pages (`entities`, `total`, `pageCount`, `cursors`, …). */
  pages<P extends string>(path: P & PagedPath<Paths, P>, ...init: PageInitParam<PageInit<Paths, P>>): AsyncGenerator<PageOf<Paths, P>, void, undefined>;
  /** Async jobs: submit, wait with growing poll intervals, stream the typed results (`gc.jobs.run(path, { body }, { signal })`). */
  readonly jobs: Jobs<Paths>;
  /** Adds openapi-fetch middleware; it sees each call once, before and after all retries. */
  use(...middleware: Middleware[]): void;
  eject(...middleware: Middleware[]): void;
  /** Subscribes to an SDK event; returns an unsubscribe function. */
  on<E extends GenesysEventName>(name: E, listener: Listener<E>): () => void;
  off<E extends GenesysEventName>(name: E, listener: Listener<E>): void;
  /** Snapshot of the resilience pipeline: in flight, queued, retries, 429s, breakers, pace. */
  stats(): ResilienceStats;
  /** Notifications API: WebSocket topic streams that reconnect, renew channels and report gaps (see the README). */
  readonly notifications: Notifications;
  /** The API origin requests go to (and the only one that gets the bearer token). */
  readonly baseUrl: string;
  /** @internal Shared by pagination: sends a prepared request through auth + resilience. */
  readonly transport: Transport;
}

const METHODS = ["GET", "PUT", "POST", "DELETE", "PATCH", "HEAD", "OPTIONS"] as const;

export function createGenesysClient<Paths extends {} = GenesysPaths>(options: GenesysClientOptions = {}): GenesysClient<Paths> {
  const { region = "us_east_1", baseUrl, loginUrl, auth, headers, fetch = globalThis.fetch, resilience, coordinator, querySerializer, bodySerializer } = options;
  checkFunction("fetch", fetch, "the fetch used for network attempts");
  const api = baseUrl ? secureBase(baseUrl, "baseUrl") : { origin: apiOrigin(region), base: apiOrigin(region) };
  const loginBase = loginUrl ? secureBase(loginUrl, "loginUrl").base : baseUrl ? api.origin : loginOrigin(region);
  const events = createEventHub();
  const clientId = auth && typeof auth === "object" && "clientId" in auth && typeof auth.clientId === "string" && auth.clientId !== "" ? auth.clientId : undefined;
  const shared = attachCoordinator(coordinator, { clientId, apiOrigin: api.origin }, events);
  let pipeline: ReturnType<typeof createPipeline>;
  let authenticator: ReturnType<typeof createAuthenticator>;
  try {
    pipeline = createPipeline(resilience ?? {}, events, { sharing: shared?.limits });
    authenticator = createAuthenticator(auth, { loginBase, fetch, events, tokenStore: shared?.tokens });
  } catch (error) {
    shared?.detach();
    throw error;
  }
  const transport = createTransport({ fetch, apiOrigin: api.origin, auth: authenticator, pipeline, events });
  const apiBase = api.base;
  const inner = createClient<Paths>({ baseUrl: apiBase, headers, querySerializer, bodySerializer });

  async function request(method: (typeof METHODS)[number], path: string, init: Record<string, unknown> = {}) {
    const { resilience: callResilience, fetch: callFetch, ...rest } = init as CallExtras & { fetch?: typeof globalThis.fetch; params?: { path?: Record<string, unknown> } };
    const operation = { method, path };
    checkPathParameters(operation, rest.params?.path);
    checkFunction("fetch", callFetch, "the fetch used for this call");
    let last: Response | undefined;
    const send = async (req: Request) => (last = await transport.send(req, { path, resilience: callResilience, fetch: callFetch }));
    let result: { data?: unknown; error?: unknown; response: Response };
    try {
      result = (await (inner.request as (m: string, p: string, i: object) => Promise<FetchResponse<object, object, MediaType>>)(method.toLowerCase(), path, {
        ...rest,
        fetch: send,
      })) as typeof result;
    } catch (error) {
      // Building the Request failed (e.g. an invalid header value in `headers`): typed, and its value not quoted.
      if (error instanceof TypeError && !last) throw requestRefused(error, operation);
      // openapi-fetch parses a success's JSON body; one that is not JSON is the server's fault, not a bug of the caller.
      if (!(error instanceof SyntaxError) || !last) throw error;
      const correlationId = last.headers.get("inin-correlation-id") ?? undefined;
      throw new InvalidResponseError(`${method} ${path}: the server answered ${last.status} with a body that is not valid JSON.`, operation, last.status, correlationId, { cause: error });
    }
    if (result.response.ok) return result;
    const { status, headers: responseHeaders } = result.response;
    const body = result.error as { code?: string } | undefined;
    const requiredPermissions = status === 403 ? findOperationByRoute(method, path)?.permissions : undefined;
    const error = new GenesysApiError({ status, body, headers: responseHeaders, operation: { method, path }, requiredPermissions });
    return { error, response: result.response };
  }

  const pager = createPager({ get: (path, init) => request("GET", path, init), apiBase });

  const client = {
    paginate: pager.paginate,
    pages: pager.pages,
    jobs: createJobs({ call: request, pages: pager.pages }),
    call(name: string, init?: Record<string, unknown>) {
      const op = findOperation(name);
      if (!op) throw new TypeError(`Unknown operation "${name}": not an operationId or method name of the generated spec.`);
      return request(op.method as (typeof METHODS)[number], op.path, init);
    },
    use: (...m: Middleware[]) => inner.use(...m),
    eject: (...m: Middleware[]) => inner.eject(...m),
    on: events.on,
    off: events.off,
    stats: () => pipeline.stats(),
    baseUrl: apiBase,
    transport,
  } as Record<string, unknown>;
  for (const m of METHODS) client[m] = (path: string, init?: Record<string, unknown>) => request(m, path, init);
  client.notifications = createNotifications({ client: client as unknown as GenesysClient, apiOrigin: api.origin, region });
  return client as unknown as GenesysClient<Paths>;
}

/** Returns `data` or throws the call's `GenesysApiError`: `const user = await unwrap(gc.GET(...))`. */
export async function unwrap<R extends { data?: unknown; error?: unknown }>(result: R | Promise<R>): Promise<NonNullable<R["data"]>> {
  const r = await result;
  if (r.error !== undefined) throw r.error;
  return r.data as NonNullable<R["data"]>;
}
