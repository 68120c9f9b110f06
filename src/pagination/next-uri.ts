// Following a page's `nextUri` safely: only to the configured API origin (and base path). Anything else is
// refused before a request exists, so a malicious `nextUri` never receives the bearer token.
import { PaginationError, type OperationRef } from "../errors.js";

export interface ResolvedNextUri {
  /** The URL the next page comes from (for repeat detection). */
  href: string;
  /** Path below the API base (`/api/v2/users`), still percent-encoded. */
  path: string;
  /** Query string without `?`, exactly as the server sent it (cursors are not re-encoded). */
  search: string;
}

/**
 * Resolves `nextUri` against `apiBase` (`https://api.mypurecloud.com`, or a `baseUrl` with a path prefix).
 * A path (`/api/v2/users?pageNumber=2`) is taken relative to `apiBase`; an absolute URL must share its origin.
 */
export function resolveNextUri(nextUri: string, apiBase: string, operation: OperationRef): ResolvedNextUri {
  const base = new URL(apiBase);
  const prefix = base.pathname.replace(/\/+$/, "");
  const shown = nextUri.length > 200 ? `${nextUri.slice(0, 200)}…` : nextUri;
  let url: URL;
  try {
    // A path is relative to the API base (prefix kept); anything else resolves as a browser would, then is checked.
    url = nextUri.startsWith("/") && !nextUri.startsWith("//") ? new URL(`${base.origin}${prefix}${nextUri}`) : new URL(nextUri, `${base.origin}${prefix}/`);
  } catch {
    throw new PaginationError(`${where(operation)}: the page's nextUri "${shown}" is not a URL; paging stopped.`, "invalid-next-uri", operation);
  }
  if (url.origin !== base.origin) {
    throw new PaginationError(
      `${where(operation)}: the page's nextUri points to ${url.origin}, not the API origin ${base.origin}; ` +
        `it was not followed (it would have received the bearer token). Paging stopped.`,
      "foreign-next-uri",
      operation,
      url.origin,
    );
  }
  if (prefix && !url.pathname.startsWith(`${prefix}/`)) {
    throw new PaginationError(
      `${where(operation)}: the page's nextUri "${shown}" leaves the API base path ${prefix}; paging stopped.`,
      "invalid-next-uri",
      operation,
    );
  }
  return { href: url.href, path: url.pathname.slice(prefix.length), search: url.search.replace(/^\?/, "") };
}

export function where({ method, path }: OperationRef): string {
  return `${method} ${path}`;
}
