// Query validation and the listing shapes Genesys uses: pageNumber/pageSize listings and opaque cursors.
import { badRequest } from "./errors.js";

export interface IntRange {
  def: number;
  min: number;
  max: number;
}

/** An integer query parameter within `range`; a bad value answers 400 `bad.request` naming the parameter. */
export function intParam(query: URLSearchParams, name: string, range: IntRange): number {
  const raw = query.get(name);
  if (raw === null || raw === "") return range.def;
  const value = /^-?\d{1,15}$/.test(raw) ? Number(raw) : NaN;
  if (!(value >= range.min && value <= range.max)) {
    throw badRequest(`Value [${raw.slice(0, 40)}] is not valid for query parameter [${name}]. Allowable values are: ${range.min} - ${range.max}`);
  }
  return value;
}

/** Prefixes listing links with `nextUriOrigin` when set; Genesys's own links are relative. */
export type LinkMaker = (pathAndQuery: string) => string;

export function linkMaker(origin: string | undefined): LinkMaker {
  return origin ? (pathAndQuery) => `${origin}${pathAndQuery}` : (pathAndQuery) => pathAndQuery;
}

/** `{ entities, pageSize, pageNumber, total, firstUri, selfUri, nextUri?, previousUri?, lastUri, pageCount }`. */
export function pageNumberListing<T>(
  path: string,
  query: URLSearchParams,
  total: number,
  slice: (start: number, end: number) => T[],
  link: LinkMaker,
  maxPageSize = 500,
) {
  const pageSize = intParam(query, "pageSize", { def: 25, min: 1, max: maxPageSize });
  const pageNumber = intParam(query, "pageNumber", { def: 1, min: 1, max: 1_000_000_000 });
  const pageCount = Math.ceil(total / pageSize);
  const start = Math.min(total, (pageNumber - 1) * pageSize);
  const uri = (n: number) => link(`${path}?pageSize=${pageSize}&pageNumber=${n}`);
  return {
    entities: slice(start, Math.min(total, start + pageSize)),
    pageSize,
    pageNumber,
    total,
    firstUri: uri(1),
    selfUri: uri(pageNumber),
    nextUri: pageNumber < pageCount ? uri(pageNumber + 1) : undefined,
    previousUri: pageNumber > 1 ? uri(pageNumber - 1) : undefined,
    lastUri: uri(Math.max(1, pageCount)),
    pageCount,
  };
}

export function range<T>(start: number, end: number, make: (i: number) => T): T[] {
  const out: T[] = [];
  for (let i = start; i < end; i++) out.push(make(i));
  return out;
}

/** An opaque cursor: base64url of `<listing tag>:<offset>`. */
export function encodeCursor(tag: string, offset: number): string {
  return Buffer.from(`${tag}:${offset}`).toString("base64url");
}

/** Offset of `cursor` (0 when absent); a cursor this listing did not hand out answers 400. */
export function decodeCursor(tag: string, cursor: string | null, total: number, parameter = "cursor"): number {
  if (cursor === null || cursor === "") return 0;
  const match = /^([a-z]+):(\d{1,9})$/.exec(Buffer.from(cursor, "base64url").toString("utf8"));
  const offset = match && match[1] === tag ? Number(match[2]) : NaN;
  if (!(offset > 0 && offset <= total)) throw badRequest(`Invalid ${parameter} [${cursor.slice(0, 60)}]: not a cursor this listing returned.`);
  return offset;
}
