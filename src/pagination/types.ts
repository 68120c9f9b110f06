// Types of `gc.paginate()` / `gc.pages()`: which paths page, what a page and an item are, and the options.
import type { FetchResponse, MaybeOptionalInit } from "openapi-fetch";
import type { MediaType, PathsWithMethod, RequiredKeysOf } from "openapi-typescript-helpers";
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

type GetOperation<Paths, P> = P extends keyof Paths ? (Paths[P] extends { get: infer Op } ? Op : never) : never;

/** Every GET path of `Paths`. */
export type GetPath<Paths extends {}> = PathsWithMethod<Paths, "get">;

/** The typed body of one page of `GET P` (its 200 response). */
export type PageOf<Paths, P> = NonNullable<
  Extract<FetchResponse<GetOperation<Paths, P> & Record<string | number, any>, {}, MediaType>, { error?: never }>["data"]
>;

/** The element type of a page's `entities`. */
export type PageItem<Paths, P> = PageOf<Paths, P> extends { entities?: (infer Item)[] } ? Item : never;

/**
 * `P` when `GET P` answers a listing (an `entities` list), else `never`, so `paginate()` refuses other paths.
 * Checked for the one path of a call (`P` is inferred as the literal, never widened to every path): a mapped
 * type over all ~1,000 GET paths would double type-checking time.
 */
export type PagedPath<Paths extends {}, P> = P extends GetPath<Paths> ? ("entities" extends keyof PageOf<Paths, P> ? P : never) : never;

/** The GET's own init (`params`, `headers`, …) for path `P`. */
export type PageInit<Paths extends {}, P> = MaybeOptionalInit<Paths[P & keyof Paths] & Record<string, any>, "get">;

/** `init` of `paginate(path, init)`: optional unless the GET has required parameters. */
export type PageInitParam<Init> = RequiredKeysOf<Init> extends never ? [(Init & PageOptions)?] : [Init & PageOptions];
