// The spec's paging style of a GET, from the small generated `paging.ts` (not the operation table, which
// pagination would otherwise have to load). Undefined for paths the spec does not list: the pages tell.
import { pagedPaths } from "../generated/paging.js";
import type { PagingStyle } from "../operations/types.js";

let byPath: Map<string, PagingStyle> | undefined;

export function pagingStyleOf(pathTemplate: string): PagingStyle | undefined {
  if (!byPath) {
    byPath = new Map();
    for (const [style, paths] of Object.entries(pagedPaths) as [PagingStyle, readonly string[]][]) for (const p of paths) byPath.set(p, style);
  }
  return byPath.get(pathTemplate);
}
