// Pagination over Genesys's paging styles (pageNumber, nextUri, cursor, after).
export { createPager, type Pager, type PagerDeps } from "./pager.js";
export { resolveNextUri } from "./next-uri.js";
export type { PageArgs, PageItem, PageOf, PageOptions, PagedPath, RouteItem, RoutePage } from "./types.js";
