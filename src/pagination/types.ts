// Types of `gc.paginate()` / `gc.pages()`: which paths page, what a page and an item are, and the options. Like the
// methods' (call-types.ts), they look up the one path of a call in the GET routes, never map over all of them.
import type { AllPaths, InitOf, InitRequired, RoutesOf, SuccessData } from "../call-types.js";
import type { CallResilienceOptions } from "../resilience/types.js";

/** Options of a paged walk, on top of the GET's own (`params`, `headers`, …). */
export interface PageOptions {
  /**
   * Stop after this many items: `paginate()` yields at most `limit` items; `pages()` stops after the page
   * that reaches it. Default: no limit (the listing's end).
   */
  limit?: number;
  /** Stop after this many pages (requests). Default: no limit (the listing's end). */
  maxPages?: number;
  /** Per-call resilience overrides, applied to every page request. */
  resilience?: CallResilienceOptions;
  /** Aborts the walk: the page request in progress is aborted and the iterator throws. */
  signal?: AbortSignal;
}

// `never` unless P is some of R's paths; all of them (what P becomes for an unknown path) are not expanded either.
type RouteOf<R, P> = AllPaths<R, P> extends true ? never : [P] extends [keyof R] ? R[P & keyof R] : never;

/** The typed body of one page of the GET at `P` of routes `R`. */
export type RoutePage<R, P> = NonNullable<SuccessData<RouteOf<R, P>>>;
/** The element type of a page's `entities`. */
export type RouteItem<R, P> = RoutePage<R, P> extends { entities?: (infer Item)[] } ? Item : never;

/** The typed body of one page of `GET P` (its success response). */
export type PageOf<Paths, P> = RoutePage<RoutesOf<Paths>["get"], P>;
/** The element type of a page's `entities`. */
export type PageItem<Paths, P> = RouteItem<RoutesOf<Paths>["get"], P>;

/** `P` when `GET P` answers a listing (an `entities` list), else `never`, so `paginate()` refuses other paths. */
export type PagedPath<R, P> = AllPaths<R, P> extends true ? P : [P] extends [keyof R] ? ("entities" extends keyof RoutePage<R, P> ? P : never) : never;

/** `init` of `paginate(path, init)`: the GET's own and the walk's options; required when the GET has required parameters. */
export type PageArgs<R, P> = [RouteOf<R, P>] extends [never]
  ? [init?: PageOptions]
  : InitRequired<RouteOf<R, P>> extends true
    ? [init: InitOf<RouteOf<R, P>> & PageOptions]
    : [init?: InitOf<RouteOf<R, P>> & PageOptions];
