// `pages()` and `paginate()`: async iterators that walk a listing page by page. Every page request is an
// ordinary call of the client's GET, so it gets the same URL building, middleware, auth and resilience
// pipeline as any call, and a failed page throws its GenesysApiError.
import { PaginationError } from "../errors.js";
import { checkNumber, INTEGER_AT_LEAST_0_OR_INFINITY } from "../validate.js";
import { nextRequest, type NextRequest, type WalkState } from "./next-page.js";
import { where } from "./next-uri.js";
import { pagingStyleOf } from "./styles.js";

type CallResult = { data?: unknown; error?: unknown; response: Response };

export interface PagerDeps {
  /** The client's GET (path template + openapi-fetch init). */
  get(path: string, init: Record<string, unknown>): Promise<CallResult>;
  /** Where the client sends requests (`baseUrl`, or `https://api.<region domain>`). */
  apiBase: string;
}

interface Params {
  path?: Record<string, unknown>;
  query?: Record<string, unknown>;
  header?: Record<string, unknown>;
  [key: string]: unknown;
}

export interface Pager {
  /** `items`: the field of a page holding its items (default `entities`; job results use `conversations`, …). */
  pages(path: string, init?: Record<string, unknown>, items?: string): AsyncGenerator<Record<string, unknown>, void, undefined>;
  paginate(path: string, init?: Record<string, unknown>): AsyncGenerator<unknown, void, undefined>;
}

export function createPager({ get, apiBase }: PagerDeps): Pager {
  async function* pages(path: string, init: Record<string, unknown> = {}, items = "entities") {
    const { limit = Infinity, maxPages = Infinity, params = {}, ...callInit } = init as { limit?: number; maxPages?: number; params?: Params };
    checkNumber("limit", limit, INTEGER_AT_LEAST_0_OR_INFINITY);
    checkNumber("maxPages", maxPages, INTEGER_AT_LEAST_0_OR_INFINITY);
    const operation = { method: "GET", path };
    const baseQuery = { ...params.query };
    const state: WalkState = {
      style: pagingStyleOf(path),
      operation,
      apiBase,
      baseQuery,
      requestedPageNumber: typeof baseQuery.pageNumber === "number" ? baseQuery.pageNumber : undefined,
      itemsSoFar: 0,
      items,
      previousPage: undefined,
    };
    const firstPath = expandPath(path, params.path);
    const seen = new Set<string>();
    let request: NextRequest | undefined = { kind: "query", query: baseQuery, key: "first" };

    for (let count = 0; request && count < maxPages && state.itemsSoFar < limit; count++) {
      const page = await fetchPage(request);
      state.itemsSoFar += Array.isArray(page[items]) ? (page[items] as unknown[]).length : 0;
      yield page;
      request = nextRequest(page, state);
      if (!request) return;
      if (seen.has(request.key)) {
        throw new PaginationError(
          `${where(operation)}: the server sent a continuation (${shorten(request.key)}) it had sent before; paging stopped to avoid an endless loop.`,
          "repeated-page",
          operation,
        );
      }
      seen.add(request.key);
      state.requestedPageNumber = request.pageNumber;
    }

    async function fetchPage(next: NextRequest): Promise<Record<string, unknown>> {
      let result: CallResult;
      if (next.kind === "query") {
        result = await get(path, { ...callInit, params: { ...params, query: next.query } });
      } else {
        // The nextUri's own query string is sent as is; its path keeps the template when it is the same listing.
        const sameListing = next.uri.path === firstPath;
        const pageParams = sameListing ? { ...params, query: undefined } : { header: params.header };
        result = await get(sameListing ? path : next.uri.path, { ...callInit, params: pageParams, querySerializer: () => next.uri.search });
      }
      if (result.error !== undefined) throw result.error;
      const { data } = result;
      if (!data || typeof data !== "object" || Array.isArray(data)) {
        throw new PaginationError(`${where(operation)}: a page's body is not a paged listing (no JSON object); paging stopped.`, "invalid-page", operation);
      }
      return data as Record<string, unknown>;
    }
  }

  async function* paginate(path: string, init: Record<string, unknown> = {}) {
    const limit = (init as { limit?: number }).limit ?? Infinity;
    let yielded = 0;
    for await (const page of pages(path, init)) {
      for (const item of Array.isArray(page.entities) ? page.entities : []) {
        yield item;
        if (++yielded >= limit) return;
      }
    }
  }

  return { pages, paginate };
}

/** The concrete path of a template, as openapi-fetch's default path serializer builds it. */
function expandPath(template: string, pathParams: Record<string, unknown> | undefined): string {
  return template.replace(/\{([^{}]+)\}/g, (match, name: string) => {
    const value = pathParams?.[name];
    return value === undefined || value === null ? match : encodeURIComponent(String(value));
  });
}

function shorten(text: string): string {
  return text.length > 120 ? `${text.slice(0, 120)}…` : text;
}
