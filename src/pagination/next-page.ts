// Where the next page comes from, given the page just read. One decision per Genesys paging style:
//   nextUri present      → follow it (any style; Genesys sets it on most listings)
//   pageNumber/pageSize  → pageNumber + 1 until pageNumber ≥ pageCount (or total reached)
//   cursor / after       → same query with the body's `cursor` / `after` / `cursors.after`
// An empty page always ends the walk, so a server that keeps inventing continuations cannot loop forever.
import { PaginationError, type OperationRef } from "../errors.js";
import type { PagingStyle } from "../operations/types.js";
import { resolveNextUri, where, type ResolvedNextUri } from "./next-uri.js";

export type NextRequest = ({ kind: "query"; query: Record<string, unknown> } | { kind: "uri"; uri: ResolvedNextUri }) & {
  /** Identifies the continuation, to detect a server that repeats one. */
  key: string;
  /** The page number this request should answer, when paging by number. */
  pageNumber?: number;
};

export interface WalkState {
  style: PagingStyle | undefined;
  operation: OperationRef;
  apiBase: string;
  /** The caller's query of the first page; later pages change only the paging parameter. */
  baseQuery: Record<string, unknown>;
  /** The page number asked for by the request that produced this page, when paging by number. */
  requestedPageNumber: number | undefined;
  /** Items read so far, this page included. */
  itemsSoFar: number;
  /** Field of a page holding the items: `entities` for listings, `conversations` etc. for job results. */
  items: string;
  /** Fingerprint of the previous page's entities, to detect a server answering the same page again. */
  previousPage: string | undefined;
}

interface PageBody {
  entities?: unknown;
  nextUri?: unknown;
  pageNumber?: unknown;
  pageCount?: unknown;
  total?: unknown;
  cursor?: unknown;
  after?: unknown;
  cursors?: { after?: unknown };
}

/** The next request, or undefined at the listing's end. */
export function nextRequest(page: PageBody, state: WalkState): NextRequest | undefined {
  const { style, operation, baseQuery } = state;
  const items = (page as Record<string, unknown>)[state.items];
  if (!Array.isArray(items) || items.length === 0) return undefined;
  const fingerprint = pageFingerprint(items);
  if (fingerprint === state.previousPage) {
    throw new PaginationError(
      `${where(operation)}: the server answered the same page twice in a row; paging stopped to avoid a loop.`,
      "repeated-page",
      operation,
    );
  }
  state.previousPage = fingerprint;

  const pagesByNumber = style === "pageNumber" || (style === undefined && typeof page.pageCount === "number");
  const current = typeof page.pageNumber === "number" ? page.pageNumber : (state.requestedPageNumber ?? 1);
  if (pagesByNumber && state.requestedPageNumber !== undefined && current !== state.requestedPageNumber) {
    throw new PaginationError(
      `${where(operation)}: asked for page ${state.requestedPageNumber} but the server answered page ${current}; paging stopped to avoid a loop.`,
      "repeated-page",
      operation,
    );
  }

  if (typeof page.nextUri === "string" && page.nextUri !== "") {
    const uri = resolveNextUri(page.nextUri, state.apiBase, operation);
    const numbered = Number(new URLSearchParams(uri.search).get("pageNumber") ?? NaN);
    const pageNumber = pagesByNumber ? (Number.isInteger(numbered) ? numbered : current + 1) : undefined;
    return { kind: "uri", uri, key: `uri ${uri.href}`, pageNumber };
  }

  if (pagesByNumber) {
    if (typeof page.pageCount === "number" && current >= page.pageCount) return undefined;
    if (typeof page.pageCount !== "number" && typeof page.total === "number" && state.itemsSoFar >= page.total) return undefined;
    return { kind: "query", query: { ...baseQuery, pageNumber: current + 1 }, key: `pageNumber ${current + 1}`, pageNumber: current + 1 };
  }

  const cursor = firstString(page.cursor, page.cursors?.after);
  const after = firstString(page.after, page.cursors?.after);
  const param = cursorParam(style, baseQuery, page);
  const token = param === "after" ? after : param === "cursor" ? cursor : undefined;
  if (param && token !== undefined) return { kind: "query", query: { ...baseQuery, [param]: token }, key: `${param} ${token}` };
  return undefined;
}

/** Query parameter carrying the continuation token: from the spec's style, else from the query / body. */
function cursorParam(style: PagingStyle | undefined, baseQuery: Record<string, unknown>, page: PageBody): "cursor" | "after" | undefined {
  if (style === "cursor" || style === "after") return style;
  if (style !== undefined) return undefined;
  if ("after" in baseQuery || firstString(page.after) !== undefined) return "after";
  if ("cursor" in baseQuery || firstString(page.cursor, page.cursors?.after) !== undefined) return "cursor";
  return undefined;
}

/** Count plus first and last entity: equal for a repeated page, cheap for a 500-entity one. */
function pageFingerprint(entities: unknown[]): string {
  return `${entities.length} ${JSON.stringify(entities[0])} ${JSON.stringify(entities[entities.length - 1])}`;
}

function firstString(...values: unknown[]): string | undefined {
  return values.find((v): v is string => typeof v === "string" && v !== "");
}
