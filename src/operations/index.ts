// Lookup over the generated operation table: by operationId, official method name, or method + path template.
import { operationRows, specInfo } from "../generated/operations.js";
import type { OperationMap } from "../generated/operation-map.js";
import type { HttpMethod, OperationInfo, OperationRow } from "./types.js";

export type { HttpMethod, OperationInfo, PagingStyle, RequiredPermissions } from "./types.js";
export type { OperationMap };
export { specInfo };

/** An operationId or official method name known to the generated spec, e.g. `"getUser"`. */
export type OperationName = keyof OperationMap & string;

/** Operation info with the method and path narrowed to the named operation's literal types. */
export type OperationInfoOf<N extends OperationName> = OperationInfo & {
  method: Uppercase<OperationMap[N]["method"]>;
  path: OperationMap[N]["path"];
};

function toInfo(row: OperationRow): OperationInfo {
  const [operationId, methodName, method, path, tag, deprecated, permissionType, permissions, scopes, paging] = row;
  return {
    operationId,
    methodName: methodName || operationId,
    method,
    path,
    tag,
    deprecated: deprecated === 1,
    permissions: permissionType ? { type: permissionType, permissions } : undefined,
    scopes,
    paging: paging || undefined,
  };
}

let index: { all: OperationInfo[]; byName: Map<string, OperationInfo>; byRoute: Map<string, OperationInfo> } | undefined;

// Built on first use, so importing the SDK costs nothing until a lookup happens.
function getIndex(): NonNullable<typeof index> {
  if (index) return index;
  const all = operationRows.map(toInfo);
  const byName = new Map<string, OperationInfo>();
  const byRoute = new Map<string, OperationInfo>();
  for (const op of all) {
    byName.set(op.operationId, op);
    byRoute.set(`${op.method} ${op.path}`, op);
  }
  for (const op of all) if (!byName.has(op.methodName)) byName.set(op.methodName, op);
  index = { all, byName, byRoute };
  return index;
}

/** Every operation of the spec the SDK was generated from, sorted by path then method. */
export function listOperations(): readonly OperationInfo[] {
  return getIndex().all;
}

/** Looks an operation up by operationId or official method name (`getUser`). Undefined when unknown. */
export function findOperation<N extends OperationName>(name: N): OperationInfoOf<N>;
export function findOperation(name: string): OperationInfo | undefined;
export function findOperation(name: string): OperationInfo | undefined {
  return getIndex().byName.get(name);
}

/** Looks an operation up by HTTP method and path template (`GET`, `/api/v2/users/{userId}`). */
export function findOperationByRoute(method: string, pathTemplate: string): OperationInfo | undefined {
  return getIndex().byRoute.get(`${method.toUpperCase() as HttpMethod} ${pathTemplate}`);
}
