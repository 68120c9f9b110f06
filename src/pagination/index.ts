// Pagination over Genesys's paging styles (pageNumber, nextUri, cursor, after).
export { createPager, type Pager, type PagerDeps } from "./pager.js";
export { resolveNextUri } from "./next-uri.js";
export type { PageInit, PageInitParam, PageItem, PageOf, PageOptions, PagedPath, GetPath } from "./types.js";
