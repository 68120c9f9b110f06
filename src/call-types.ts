// Types of a call: which paths a method accepts, its `init` and its result. They read the generated `routes`
// (per method: path template → operation) so that a call costs TypeScript one lookup of its own path, never a pass
// over all ~1,800 paths, and they are written so that the checker has no reason to expand them for every path:
// every conditional is non-distributive (`[X] extends [Y]`), so a generic `init` or result does not fan out over
// the path union while a call is being inferred (which is what made a mistyped path a TS2589 before).
import type { BodySerializer, HeadersOptions, Middleware, PathSerializer, QuerySerializer, QuerySerializerOptions } from "openapi-fetch";
import type { GenesysApiError } from "./errors.js";
import type { operations as GenesysOperations, paths as GenesysPaths, routes as GenesysRoutes } from "./generated/paths.js";
import type { CallResilienceOptions } from "./resilience/types.js";

/** An operationId of the SDK's spec (in the pinned spec, the official SDK's method name too), e.g. `"getUser"`. */
export type OperationId = keyof GenesysOperations & string;

/** The HTTP methods of a client (`gc.GET`, …), as the generated `routes` name them. */
export type RouteMethod = "get" | "put" | "post" | "delete" | "patch" | "head" | "options";

/** Per HTTP method, path template → operation: what a client's `GET`, `POST`, … accept. Generated as `routes`. */
export type RouteTable = { [M in RouteMethod]: object };

/** How a call's response body is read (openapi-fetch's `parseAs`). */
export type ParseAs = "json" | "text" | "blob" | "arrayBuffer" | "stream";

/** Options every call accepts on top of the operation's `params` and `body`. */
export interface CallExtras {
  /** Per-call resilience overrides. */
  resilience?: CallResilienceOptions;
  /** Aborts the call: removes it from the queue, ends a wait, aborts the fetch. */
  signal?: AbortSignal;
}

/** A call's options other than `params` and `body`: the SDK's and openapi-fetch's, and fetch's `RequestInit`. */
export interface CallOptions<Op = unknown, A extends ParseAs = ParseAs> extends CallExtras, Omit<RequestInit, "body" | "headers" | "signal"> {
  /** Headers of this call, on top of the client's. */
  headers?: HeadersOptions;
  /** How the response body is read. Default `"json"`. */
  parseAs?: A;
  /** API origin of this call. Default: the client's. */
  baseUrl?: string;
  querySerializer?: QuerySerializer<Op> | QuerySerializerOptions;
  bodySerializer?: BodySerializer<Op>;
  pathSerializer?: PathSerializer;
  /** The fetch of this call's network attempts. Default: the client's. */
  fetch?: (input: Request) => Promise<Response>;
  /** openapi-fetch middleware for this call only. */
  middleware?: Middleware[];
}

// biome-ignore lint/complexity/noBannedTypes: `{} extends Pick<T, K>` is how an optional key is told apart.
type RequiredKey<T> = { [K in keyof T]-?: {} extends Pick<T, K> ? never : K }[keyof T];
type ParamsPart<Op> = [Op] extends [{ parameters: infer Params }]
  ? [RequiredKey<Params>] extends [never]
    ? { params?: Params }
    : { params: Params }
  : { params?: never };
type BodyPart<Op> = [Op] extends [{ requestBody: { content: infer C } }]
  ? { body: C[keyof C] }
  : [Op] extends [{ requestBody?: { content: infer C } }]
    ? { body?: C[keyof C] }
    : { body?: never };
export type InitRequired<Op> = [Op] extends [{ requestBody: object }]
  ? true
  : [Op] extends [{ parameters: infer Params }]
    ? [RequiredKey<Params>] extends [never]
      ? false
      : true
    : false;

/** `init` of a call of operation `Op`: its `params` and `body`, and the call options. */
export type InitOf<Op, A extends ParseAs = "json"> = ParamsPart<Op> & BodyPart<Op> & CallOptions<Op, A>;
/** The `init` argument of a call of `Op`: required when the operation has required parameters or a body. */
export type InitArgs<Op, A extends ParseAs = "json"> = InitRequired<Op> extends true ? [init: InitOf<Op, A>] : [init?: InitOf<Op, A>];

type OkStatus = 200 | 201 | 202 | 203 | 204 | 206 | 207 | "2XX";
type ContentOf<Response> = [Response] extends [{ content: infer C }] ? C[keyof C] : undefined;
/** The body of `Op`'s success responses (`undefined` for those without one). */
export type SuccessData<Op> = [Op] extends [{ responses: infer R }] ? { [K in keyof R & OkStatus]: ContentOf<R[K]> }[keyof R & OkStatus] : never;
type Parsed<T, A extends ParseAs> = { json: T; text: string; blob: Blob; arrayBuffer: ArrayBuffer; stream: Response["body"] }[A];

/** What a call resolves to: the typed `data`, or `error` as a `GenesysApiError`; always the `response`. */
export type CallResult<Op, A extends ParseAs = "json"> =
  | { data: Parsed<SuccessData<Op>, A>; error?: never; response: Response }
  | { data?: never; error: GenesysApiError; response: Response };

type Identical<A, B> = (<T>() => T extends A ? 1 : 2) extends <T>() => T extends B ? 1 : 2 ? true : false;
// For `paths` generated without `routes` (or given alone), derived from the path items; computed once per method.
type DerivedRoutes<Paths> = {
  [M in RouteMethod]: { [P in keyof Paths as Paths[P] extends { [K in M]: object } ? P : never]: Paths[P][M & keyof Paths[P]] };
};
/** The route table of `Paths`: the generated `routes` for the SDK's own spec, else derived from the path items. */
export type RoutesOf<Paths> = Identical<Paths, GenesysPaths> extends true ? GenesysRoutes : DerivedRoutes<Paths>;

/** `init` of `gc.<METHOD>(path, init)` for path `P` of routes `R` (named so that errors show the method's routes and the path). */
export type MethodInit<R, P extends keyof R, A extends ParseAs = "json"> = InitOf<R[P], A>;
type MethodArgs<R, P extends keyof R, A extends ParseAs> = InitRequired<R[P]> extends true ? [init: MethodInit<R, P, A>] : [init?: MethodInit<R, P, A>];

type UnionToIntersection<U> = (U extends unknown ? (x: U) => void : never) extends (x: infer I) => void ? I : never;
/**
 * True when `P` is all of several paths of `R`: what P becomes when the path argument is not one of them (the
 * error then names that argument), and what `init` and the result are not expanded for (every operation at once
 * is a TS2590, "union type too complex"). Evaluated only when P covers `keyof R`.
 */
export type AllPaths<R, P> = [keyof R] extends [P] ? ([keyof R] extends [UnionToIntersection<keyof R>] ? false : true) : false;

/**
 * `gc.GET`, `gc.POST`, …: `(path, init?) => Promise<{ data, error, response }>`, typed by the operation at `path`.
 * `R` defaults to the method's routes in the route table of `Paths` (see `RoutesOf`).
 */
export type GenesysMethod<Paths extends {}, M extends RouteMethod, R = RoutesOf<Paths>[M]> = <P extends keyof R, A extends ParseAs = "json">(
  path: P,
  ...init: AllPaths<R, P> extends true ? [init?: CallOptions] : MethodArgs<R, P, A>
) => Promise<AllPaths<R, P> extends true ? never : CallResult<R[P], A>>;
