// createGenesysClient(): an openapi-fetch client typed with the generated `paths`, whose every call goes
// through the SDK's transport (auth + resilience). User middleware (`gc.use`) runs once per call, around it.
import type { ClientOptions, HeadersOptions, Middleware } from "openapi-fetch";
import { createAuthenticator } from "./auth/index.js";
import type { AuthOptions } from "./auth/types.js";
import type { CallExtras, CallOptions, CallResult, GenesysMethod, InitArgs, OperationId, ParseAs, RoutesOf, RouteTable } from "./call-types.js";
import { attachCoordinator } from "./coordination/attach.js";
import type { Coordinator } from "./coordination/types.js";
import { GenesysApiError } from "./errors.js";
import { createEventHub, type GenesysEventName, type Listener } from "./events.js";
import type { operations as GenesysOperations, paths as GenesysPaths } from "./generated/paths.js";
import { createJobs, type Jobs } from "./jobs/index.js";
import { createNotifications, type Notifications } from "./notifications/index.js";
import { secureBase } from "./origins.js";
import type { PageArgs, PagedPath, Pager, RouteItem, RoutePage } from "./pagination/index.js";
import { apiOrigin, loginOrigin, type GenesysRegion } from "./regions.js";
import { resolvePipeline } from "./resilience/options.js";
import type { ResilienceOptions, ResilienceStats } from "./resilience/types.js";
import { deferStack } from "./transport/deferred-stack.js";
import { checkPathParameters } from "./transport/path-parameters.js";
import type { Transport } from "./transport/transport.js";
import { checkFunction } from "./validate.js";

export type { CallExtras, GenesysMethod };

export interface GenesysClientOptions {
  /** Genesys Cloud region. Default `us_east_1` (mypurecloud.com). Ignored for the API when `baseUrl` is set. */
  region?: GenesysRegion;
  /** API origin override (simulator, proxy). `http://` only for loopback hosts. Default `https://api.<region domain>`. */
  baseUrl?: string;
  /** Login origin override for the token endpoint. Default `https://login.<region domain>`, or `baseUrl` when only that is set. */
  loginUrl?: string;
  /** Client credentials, or a token (string or function). Default none: no Authorization header. */
  auth?: AuthOptions;
  /** Headers sent with every call. Default none. */
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
  /** openapi-fetch's query serializer, passed through. Default openapi-fetch's (`form`, exploded arrays). */
  querySerializer?: ClientOptions["querySerializer"];
  /** openapi-fetch's body serializer, passed through. Default `JSON.stringify`. */
  bodySerializer?: ClientOptions["bodySerializer"];
}

/** openapi-fetch's result with `error` as a `GenesysApiError`. */
export type ApiResult<R> = R extends { error?: never } ? R : Omit<R, "error"> & { error: GenesysApiError };

/**
 * A client typed by `Paths` (the SDK's spec by default, or `paths` generated with `npx genesys-cloud-sdk generate`)
 * and its route table `Routes` (the generated `routes`; derived from `Paths` when not given).
 */
export interface GenesysClient<Paths extends {} = GenesysPaths, Routes extends RouteTable = RoutesOf<Paths>> {
  GET: GenesysMethod<Paths, "get", Routes["get"]>;
  PUT: GenesysMethod<Paths, "put", Routes["put"]>;
  POST: GenesysMethod<Paths, "post", Routes["post"]>;
  DELETE: GenesysMethod<Paths, "delete", Routes["delete"]>;
  PATCH: GenesysMethod<Paths, "patch", Routes["patch"]>;
  HEAD: GenesysMethod<Paths, "head", Routes["head"]>;
  OPTIONS: GenesysMethod<Paths, "options", Routes["options"]>;
  /**
   * Calls an operation of the SDK's spec by operationId (the official SDK's method name), e.g.
   * `gc.call("getUser", { params: { path: { userId } } })`. Loads the operation table on first use.
   */
  call<N extends OperationId, A extends ParseAs = "json">(
    name: N,
    // An unknown name makes N all of OperationId: left untyped rather than expanded (as GenesysMethod does).
    ...init: [OperationId] extends [N] ? [init?: CallOptions] : InitArgs<GenesysOperations[N], A>
  ): Promise<[OperationId] extends [N] ? never : CallResult<GenesysOperations[N], A>>;
  /**
   * Walks a paged GET to its end, yielding every item of every page's `entities`, typed:
   * `for await (const user of gc.paginate("/api/v2/users", { params: { query: { pageSize: 100 } } }))`.
   * Follows `nextUri` (only on the API origin), page numbers or cursors, as the listing pages; each page is an
   * ordinary call (middleware, auth, resilience) and a failed page throws its `GenesysApiError`.
   * `limit` (items) and `maxPages` stop earlier.
   */
  paginate<P extends keyof Routes["get"]>(
    path: P & PagedPath<Routes["get"], P>,
    ...init: PageArgs<Routes["get"], P>
  ): AsyncGenerator<RouteItem<Routes["get"], P>, void, undefined>;
  /** Like `paginate()`, yielding whole typed pages (`entities`, `total`, `pageCount`, `cursors`, …). */
  pages<P extends keyof Routes["get"]>(
    path: P & PagedPath<Routes["get"], P>,
    ...init: PageArgs<Routes["get"], P>
  ): AsyncGenerator<RoutePage<Routes["get"], P>, void, undefined>;
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
  /** @internal Sends a prepared request through auth + resilience (the bearer-origin test uses it). */
  readonly transport: Transport;
}

// The operation table (names, permissions, scopes of every operation) and pagination are loaded on first use, so
// that the core bundle carries neither: `gc.call()` and a 403's permission hint need the table, `paginate()` the pager.
const loadOperations = () => import("./operations/index.js");
const loadPager = () => import("./pagination/pager.js");

const METHODS = ["GET", "PUT", "POST", "DELETE", "PATCH", "HEAD", "OPTIONS"] as const;

export function createGenesysClient<Paths extends {} = GenesysPaths, Routes extends RouteTable = RoutesOf<Paths>>(
  options: GenesysClientOptions = {},
): GenesysClient<Paths, Routes> {
  const {
    region = "us_east_1",
    baseUrl,
    loginUrl,
    auth,
    headers,
    fetch = globalThis.fetch,
    resilience,
    coordinator,
    querySerializer,
    bodySerializer,
  } = options;
  checkFunction("fetch", fetch, "the fetch used for network attempts");
  const api = baseUrl ? secureBase(baseUrl, "baseUrl") : { origin: apiOrigin(region), base: apiOrigin(region) };
  const loginBase = loginUrl ? secureBase(loginUrl, "loginUrl").base : baseUrl ? api.origin : loginOrigin(region);
  const events = createEventHub();
  const clientId =
    auth && typeof auth === "object" && "clientId" in auth && typeof auth.clientId === "string" && auth.clientId !== "" ? auth.clientId : undefined;
  const shared = attachCoordinator(coordinator, { clientId, apiOrigin: api.origin }, events);
  let stack: ReturnType<typeof deferStack>;
  try {
    stack = deferStack({
      resilience: resolvePipeline(resilience ?? {}),
      events,
      sharing: shared?.limits,
      fetch,
      apiOrigin: api.origin,
      apiBase: api.base,
      auth: createAuthenticator(auth, { loginBase, fetch, events, tokenStore: shared?.tokens }),
      headers,
      querySerializer,
      bodySerializer,
    });
  } catch (error) {
    shared?.detach();
    throw error;
  }
  // With a coordinator, the limiter hears the fleet's pauses and limits from the start, not from the first call.
  if (shared?.limits) stack.preload();
  const apiBase = api.base;

  async function request(method: (typeof METHODS)[number], path: string, init: Record<string, unknown> = {}) {
    const {
      resilience: callResilience,
      fetch: callFetch,
      ...rest
    } = init as CallExtras & { fetch?: typeof globalThis.fetch; params?: { path?: Record<string, unknown> } };
    const operation = { method, path };
    checkPathParameters(operation, rest.params?.path);
    checkFunction("fetch", callFetch, "the fetch used for this call");
    const result = await stack.request(operation, rest, callResilience, callFetch);
    if (result.response.ok) return result;
    const { status, headers: responseHeaders } = result.response;
    const body = result.error as { code?: string } | undefined;
    const requiredPermissions = status === 403 ? (await loadOperations()).findOperationByRoute(method, path)?.permissions : undefined;
    const error = new GenesysApiError({ status, body, headers: responseHeaders, operation: { method, path }, requiredPermissions });
    return { error, response: result.response };
  }

  let pager: Promise<Pager> | undefined;
  const getPager = () => (pager ??= loadPager().then(({ createPager }) => createPager({ get: (path, init) => request("GET", path, init), apiBase })));

  async function* pages(path: string, init?: Record<string, unknown>, items?: string) {
    yield* (await getPager()).pages(path, init, items);
  }

  const client = {
    async *paginate(path: string, init?: Record<string, unknown>) {
      yield* (await getPager()).paginate(path, init);
    },
    pages,
    jobs: createJobs({ call: request, pages }),
    async call(name: string, init?: Record<string, unknown>) {
      const op = (await loadOperations()).findOperation(name);
      if (!op) throw new TypeError(`Unknown operation "${name}": not an operationId or method name of the generated spec.`);
      return request(op.method as (typeof METHODS)[number], op.path, init);
    },
    use: stack.use,
    eject: stack.eject,
    on: events.on,
    off: events.off,
    stats: stack.stats,
    baseUrl: apiBase,
    transport: stack.transport,
  } as Record<string, unknown>;
  for (const m of METHODS) client[m] = (path: string, init?: Record<string, unknown>) => request(m, path, init);
  client.notifications = createNotifications({ client: client as unknown as GenesysClient, apiOrigin: api.origin, region });
  return client as unknown as GenesysClient<Paths, Routes>;
}

/** Returns `data` or throws the call's `GenesysApiError`: `const user = await unwrap(gc.GET(...))`. */
export async function unwrap<R extends { data?: unknown; error?: unknown }>(result: R | Promise<R>): Promise<NonNullable<R["data"]>> {
  const r = await result;
  if (r.error !== undefined) throw r.error;
  return r.data as NonNullable<R["data"]>;
}
