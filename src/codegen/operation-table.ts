// Builds the runtime operation table (one compact row per operation) from a Swagger 2.0 spec.
import { HTTP_METHODS, type SwaggerDocument } from "./spec-source.js";
import type { OperationRow, PagingStyle } from "../operations/types.js";

interface SwaggerParameter {
  name: string;
  in: string;
  required?: boolean;
}
interface SwaggerOperation {
  operationId?: string;
  tags?: string[];
  deprecated?: boolean;
  parameters?: SwaggerParameter[];
  responses?: Record<string, { schema?: { $ref?: string } }>;
  security?: Record<string, string[]>[];
  "x-purecloud-method-name"?: string;
  "x-inin-requires-permissions"?: { type?: string; permissions?: string[] };
}

/** Rows sorted by path then method, so the output does not depend on key order quirks. */
export function buildOperationRows(doc: SwaggerDocument): OperationRow[] {
  const rows: OperationRow[] = [];
  for (const path of Object.keys(doc.paths).sort()) {
    const item = doc.paths[path] as Record<string, SwaggerOperation | SwaggerParameter[]>;
    for (const method of HTTP_METHODS) {
      const op = item[method] as SwaggerOperation | undefined;
      if (!op) continue;
      const operationId = op.operationId ?? `${method}${path.replace(/[^A-Za-z0-9]+/g, "_")}`;
      const perms = op["x-inin-requires-permissions"];
      const scopes = [...new Set((op.security ?? []).flatMap((s) => Object.values(s).flat()))].sort();
      const params = [...((item.parameters as SwaggerParameter[] | undefined) ?? []), ...(op.parameters ?? [])];
      rows.push([
        operationId,
        // "" when the official method name equals the operationId (always, in 2025-07): keeps the bundle small.
        op["x-purecloud-method-name"] && op["x-purecloud-method-name"] !== operationId ? op["x-purecloud-method-name"] : "",
        method.toUpperCase() as OperationRow[2],
        path,
        op.tags?.[0] ?? "",
        op.deprecated === true ? 1 : 0,
        perms?.permissions?.length ? (perms.type === "ALL" ? "ALL" : "ANY") : "",
        perms?.permissions ?? [],
        scopes,
        method === "get" ? pagingStyle(doc, op, params) : "",
      ]);
    }
  }
  return rows;
}

const PAGE_FIELDS = ["pageNumber", "pageCount", "total", "nextUri", "cursor", "cursors", "after"] as const;

/** Which Genesys paging style a GET uses, from its query parameters and its 200 response schema. */
function pagingStyle(doc: SwaggerDocument, op: SwaggerOperation, params: SwaggerParameter[]): PagingStyle | "" {
  const ref = op.responses?.["200"]?.schema?.$ref;
  const name = ref?.replace("#/definitions/", "");
  const schema = name ? (doc.definitions?.[name] as { properties?: Record<string, unknown> } | undefined) : undefined;
  const props = new Set(Object.keys(schema?.properties ?? {}));
  if (!props.has("entities")) return "";
  const query = new Set(params.filter((p) => p.in === "query").map((p) => p.name));
  const has = Object.fromEntries(PAGE_FIELDS.map((f) => [f, props.has(f)])) as Record<(typeof PAGE_FIELDS)[number], boolean>;
  if (query.has("cursor") && (has.cursor || has.cursors)) return "cursor";
  if (query.has("after") && (has.after || has.cursors || has.nextUri)) return "after";
  if (query.has("pageNumber") && (has.pageCount || has.total)) return "pageNumber";
  if (has.nextUri) return "nextUri";
  return "";
}
