// Shapes of the generated operation table. The generator writes rows; `operations/index.ts` reads them.

export type HttpMethod = "GET" | "PUT" | "POST" | "DELETE" | "OPTIONS" | "HEAD" | "PATCH";

/**
 * How a GET pages through results:
 * - `pageNumber`: `pageNumber`/`pageSize` query, `pageCount`/`total` in the body
 * - `nextUri`: follow the body's `nextUri`
 * - `cursor`: `cursor` query, `cursor` (or `cursors.after`) in the body
 * - `after`: `after` query, `after`/`cursors.after`/`nextUri` in the body
 */
export type PagingStyle = "pageNumber" | "nextUri" | "cursor" | "after";

/** Compact row, as generated (methodName "" = same as operationId): [operationId, methodName, method, path, tag, deprecated, permissionType, permissions, scopes, paging]. */
export type OperationRow = [
  operationId: string,
  methodName: string,
  method: HttpMethod,
  path: string,
  tag: string,
  deprecated: 0 | 1,
  permissionType: "ANY" | "ALL" | "",
  permissions: string[],
  scopes: string[],
  paging: PagingStyle | "",
];

export interface RequiredPermissions {
  /** `ANY`: one of the permissions is enough; `ALL`: every one is needed. */
  type: "ANY" | "ALL";
  permissions: readonly string[];
}

export interface OperationInfo {
  /** The spec's `operationId`, e.g. `getUser`. */
  operationId: string;
  /** `x-purecloud-method-name`: the official SDKs' method name (e.g. `usersApi.getUser`). */
  methodName: string;
  method: HttpMethod;
  /** Path template, e.g. `/api/v2/users/{userId}`. */
  path: string;
  /** First tag, e.g. `Users` (the official SDKs' API class, `UsersApi`). */
  tag: string;
  deprecated: boolean;
  /** From `x-inin-requires-permissions`; undefined when the spec lists none. */
  permissions: RequiredPermissions | undefined;
  /** OAuth scopes that grant the operation. */
  scopes: readonly string[];
  /** How the GET pages, when it returns a paged entity listing. */
  paging: PagingStyle | undefined;
}
