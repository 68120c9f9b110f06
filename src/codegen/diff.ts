// Compares two Genesys Swagger 2.0 documents operation by operation: what a caller of the old spec must know
// before moving to the new one. Operations are matched by route — method + path template with parameter names
// ignored — so a renamed path parameter or operationId is a change of the operation, not a remove + add.
// See diff-types.ts for every change kind and when it is breaking.
import { createSchemaDiffer, type Schema } from "./diff-schema.js";
import type { Change, DiffSummary, OperationChanges, OperationRef, SpecDiff, SpecSummary } from "./diff-types.js";
import { countSpec, HTTP_METHODS, type SwaggerDocument } from "./spec-source.js";

export type * from "./diff-types.js";

interface Parameter {
  name: string;
  in: string;
  required?: boolean;
  type?: string;
  enum?: unknown[];
  items?: { type?: string; enum?: unknown[] };
  schema?: Schema;
}
interface Permissions {
  type?: string;
  permissions?: string[];
}
interface Operation {
  operationId?: string;
  deprecated?: boolean;
  parameters?: Parameter[];
  responses?: Record<string, { schema?: Schema }>;
  "x-purecloud-method-name"?: string;
  "x-inin-requires-permissions"?: Permissions;
}
interface Entry {
  ref: OperationRef;
  op: Operation;
  params: Parameter[];
}

/** Compares `before` (the old spec) with `after` (the new one). Pure and deterministic. */
export function diffSpecs(before: SwaggerDocument, after: SwaggerDocument, sha256: { from?: string; to?: string } = {}): SpecDiff {
  const oldOps = indexOperations(before);
  const newOps = indexOperations(after);
  const schemas = createSchemaDiffer(before.definitions, after.definitions);
  const added: OperationRef[] = [];
  const removed: OperationRef[] = [];
  const deprecated: OperationRef[] = [];
  const changed: OperationChanges[] = [];
  for (const [key, entry] of oldOps) if (!newOps.has(key)) removed.push(entry.ref);
  for (const [key, entry] of newOps) {
    const old = oldOps.get(key);
    if (!old) {
      added.push(entry.ref);
      continue;
    }
    const changes = [
      ...operationChanges(old, entry),
      ...parameterChanges(old, entry, schemas.diff),
      ...responseChanges(old.op, entry.op, schemas.diff),
      ...permissionChanges(old.op, entry.op),
    ];
    if (changes.some((c) => c.kind === "operation.deprecated")) deprecated.push(entry.ref);
    if (!changes.length) continue;
    const differs = old.ref.path !== entry.ref.path || old.ref.operationId !== entry.ref.operationId;
    changed.push({ operation: entry.ref, ...(differs ? { previous: old.ref } : {}), breaking: changes.some((c) => c.breaking), changes });
  }
  const byRoute = (a: OperationRef, b: OperationRef) => a.path.localeCompare(b.path) || a.method.localeCompare(b.method);
  added.sort(byRoute);
  removed.sort(byRoute);
  deprecated.sort(byRoute);
  changed.sort((a, b) => byRoute(a.operation, b.operation));
  return {
    from: summarize(before, sha256.from),
    to: summarize(after, sha256.to),
    summary: summarizeChanges(added, removed, deprecated, changed),
    added,
    removed,
    deprecated,
    changed,
  };
}

/** `GET /api/v2/users/{}`: the route with path parameter names blanked, so renaming one keeps the match. */
function indexOperations(doc: SwaggerDocument): Map<string, Entry> {
  const entries = new Map<string, Entry>();
  for (const path of Object.keys(doc.paths).sort()) {
    const item = doc.paths[path] as Record<string, unknown>;
    for (const method of HTTP_METHODS) {
      const op = item[method] as Operation | undefined;
      if (!op) continue;
      const ref = { method: method.toUpperCase(), path, operationId: op.operationId ?? "" };
      const params = [...((item.parameters as Parameter[] | undefined) ?? []), ...(op.parameters ?? [])];
      let key = `${ref.method} ${path.replace(/\{[^}]*\}/g, "{}")}`;
      if (entries.has(key)) key = `${ref.method} ${path}`; // two templates differing only in names: match exactly
      entries.set(key, { ref, op, params });
    }
  }
  return entries;
}

function operationChanges(old: Entry, now: Entry): Change[] {
  const changes: Change[] = [];
  if (old.ref.path !== now.ref.path) {
    changes.push({
      kind: "operation.pathRenamed",
      breaking: true,
      detail: `path parameters renamed: ${old.ref.path} → ${now.ref.path}`,
      before: old.ref.path,
      after: now.ref.path,
    });
  }
  if (old.ref.operationId !== now.ref.operationId) {
    const newNames = new Set([now.ref.operationId, now.op["x-purecloud-method-name"]]);
    const stillNamed = [old.ref.operationId, old.op["x-purecloud-method-name"]].some((n) => n && newNames.has(n));
    changes.push({
      kind: "operation.renamed",
      breaking: !stillNamed,
      detail: `operationId ${old.ref.operationId} → ${now.ref.operationId}`,
      before: old.ref.operationId,
      after: now.ref.operationId,
    });
  }
  if (!old.op.deprecated && now.op.deprecated) changes.push({ kind: "operation.deprecated", breaking: false, detail: "deprecated" });
  return changes;
}

type SchemaDiff = ReturnType<typeof createSchemaDiffer>["diff"];

/** Path parameters match by position in the template (their names belong to the path); others by location + name. */
function parameterKey(p: Parameter, path: string): string {
  if (p.in === "body") return "body";
  if (p.in === "path") return `path#${(path.match(/\{[^}]*\}/g) ?? ([] as string[])).indexOf(`{${p.name}}`)}`;
  return `${p.in}:${p.in === "header" ? p.name.toLowerCase() : p.name}`;
}

function parameterChanges(old: Entry, now: Entry, diffSchema: SchemaDiff): Change[] {
  const changes: Change[] = [];
  const before = new Map(old.params.map((p) => [parameterKey(p, old.ref.path), p]));
  const after = new Map(now.params.map((p) => [parameterKey(p, now.ref.path), p]));
  for (const [key, p] of before) {
    if (after.has(key)) continue;
    if (p.in === "body") changes.push({ kind: "request.bodyRemoved", breaking: true, location: "body", detail: "request body removed" });
    else
      changes.push({
        kind: "parameter.removed",
        breaking: true,
        location: `${p.in}.${p.name}`,
        detail: `${p.required ? "required" : "optional"} ${p.in} parameter removed`,
      });
  }
  for (const [key, p] of after) {
    const q = before.get(key);
    const location = p.in === "body" ? "body" : `${p.in}.${p.name}`;
    const required = p.required === true;
    if (!q) {
      const kind = p.in === "body" ? "request.bodyAdded" : "parameter.added";
      changes.push({
        kind,
        breaking: required,
        location,
        detail: `${required ? "required" : "optional"} ${p.in === "body" ? "request body" : `${p.in} parameter`} added`,
      });
      continue;
    }
    if (required && !q.required) changes.push({ kind: "parameter.required", breaking: true, location, detail: "optional → required" });
    if (p.in === "body") {
      if (q.schema && p.schema) changes.push(...diffSchema(q.schema, p.schema, "request", "body"));
      continue;
    }
    const [ta, tb] = [parameterType(q), parameterType(p)];
    if (ta !== tb) changes.push({ kind: "parameter.typeChanged", breaking: true, location, detail: `type ${ta} → ${tb}`, before: ta, after: tb });
    const [ea, eb] = [q.enum ?? q.items?.enum, p.enum ?? p.items?.enum];
    if (ea && eb) {
      const kept = new Set(eb.map(String));
      const gone = ea.filter((v) => !kept.has(String(v)));
      if (gone.length)
        changes.push({ kind: "parameter.enumValueRemoved", breaking: true, location, detail: `enum value(s) removed: ${gone.join(", ")}`, before: gone });
    }
  }
  return changes;
}

function parameterType(p: Parameter): string {
  const t = (x?: string) => (x === "integer" ? "number" : (x ?? "any"));
  return p.type === "array" ? `${t(p.items?.type)}[]` : t(p.type);
}

/** The success body callers read: the lowest 2xx status that has a schema. */
function successSchema(op: Operation): Schema | undefined {
  const codes = Object.keys(op.responses ?? {})
    .filter((c) => /^2\d\d$/.test(c))
    .sort();
  for (const code of codes) if (op.responses![code]!.schema) return op.responses![code]!.schema;
  return undefined;
}

function responseChanges(old: Operation, now: Operation, diffSchema: SchemaDiff): Change[] {
  const [a, b] = [successSchema(old), successSchema(now)];
  if (a && !b) return [{ kind: "response.bodyRemoved", breaking: true, location: "response", detail: "success response has no body any more" }];
  return a && b ? diffSchema(a, b, "response", "response") : [];
}

function permissionChanges(old: Operation, now: Operation): Change[] {
  const a = normalizePermissions(old["x-inin-requires-permissions"]);
  const b = normalizePermissions(now["x-inin-requires-permissions"]);
  if (a.type === b.type && a.permissions.join("\n") === b.permissions.join("\n")) return [];
  const show = (p: typeof a) => (p.permissions.length ? `${p.type} of ${p.permissions.join(", ")}` : "none");
  return [
    { kind: "permissions.changed", breaking: permissionsNarrowed(a, b), location: "permissions", detail: `${show(a)} → ${show(b)}`, before: a, after: b },
  ];
}

function normalizePermissions(p: Permissions | undefined): { type: "ANY" | "ALL"; permissions: string[] } {
  const permissions = [...new Set(p?.permissions ?? [])].sort();
  return { type: p?.type === "ALL" ? "ALL" : "ANY", permissions };
}

/**
 * True when some caller that satisfied the old requirement fails the new one (no permissions = no requirement):
 * ANY→ANY: an old permission was dropped. ALL→ALL: a permission was added. ALL→ANY: none of the old set is accepted.
 * ANY→ALL: a holder of one old permission is refused unless the new set is just that one permission.
 */
export function permissionsNarrowed(a: { type: string; permissions: string[] }, b: { type: string; permissions: string[] }): boolean {
  if (!b.permissions.length) return false;
  if (!a.permissions.length) return true;
  const inOld = new Set(a.permissions);
  const inNew = new Set(b.permissions);
  if (a.type === "ANY" && b.type === "ANY") return a.permissions.some((p) => !inNew.has(p));
  if (a.type === "ALL" && b.type === "ALL") return b.permissions.some((p) => !inOld.has(p));
  if (a.type === "ALL") return !a.permissions.some((p) => inNew.has(p));
  return !(b.permissions.length === 1 && a.permissions.length === 1 && a.permissions[0] === b.permissions[0]);
}

function summarize(doc: SwaggerDocument, sha256?: string): SpecSummary {
  return { title: doc.info?.title ?? "", version: doc.info?.version ?? "", ...(sha256 ? { sha256 } : {}), ...countSpec(doc) };
}

function summarizeChanges(added: OperationRef[], removed: OperationRef[], deprecated: OperationRef[], changed: OperationChanges[]): DiffSummary {
  const byKind: DiffSummary["byKind"] = {};
  const count = (kind: Change["kind"], breaking: boolean, n = 1) => {
    const k = (byKind[kind] ??= { total: 0, breaking: 0 });
    k.total += n;
    if (breaking) k.breaking += n;
  };
  if (added.length) count("operation.added", false, added.length);
  if (removed.length) count("operation.removed", true, removed.length);
  for (const c of changed.flatMap((o) => o.changes)) count(c.kind, c.breaking);
  const all = Object.values(byKind);
  return {
    operationsAdded: added.length,
    operationsRemoved: removed.length,
    operationsDeprecated: deprecated.length,
    operationsChanged: changed.length,
    operationsWithBreakingChanges: changed.filter((o) => o.breaking).length,
    breakingChanges: all.reduce((n, k) => n + k.breaking, 0),
    totalChanges: all.reduce((n, k) => n + k.total, 0),
    byKind: Object.fromEntries(Object.entries(byKind).sort(([x], [y]) => x.localeCompare(y))),
  };
}
