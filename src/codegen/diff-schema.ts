// Compares an old and a new JSON schema (Swagger 2.0 flavour) side by side, following `$ref`s into each
// document's definitions, and lists the changes that break callers in one direction:
// - request (what the caller sends): writable field removed, field newly required, type changed, enum value removed
// - response (what the caller reads): field removed, type changed, enum value removed
// Not reported (not breaking for that direction): fields added, enum values added, optional→required in responses.
import type { Change } from "./diff-types.js";

export interface Schema {
  $ref?: string;
  type?: string;
  format?: string;
  enum?: unknown[];
  properties?: Record<string, Schema>;
  required?: string[];
  items?: Schema;
  additionalProperties?: boolean | Schema;
  readOnly?: boolean;
}

export type Definitions = Record<string, unknown>;
export type Direction = "request" | "response";

const ROOT = "\u0000";

/** A walker bound to two documents' definitions; caches whole-definition comparisons between operations. */
export function createSchemaDiffer(oldDefs: Definitions = {}, newDefs: Definitions = {}) {
  const cache = new Map<string, Change[]>();

  /** Breaking changes between `before` and `after`, with locations starting at `root` (`body`, `response`). */
  function diff(before: Schema, after: Schema, direction: Direction, root: string): Change[] {
    // Same pair of definitions → same changes, whichever operation uses them: compute once.
    const cacheKey = before.$ref && after.$ref ? `${direction}|${before.$ref}|${after.$ref}` : undefined;
    let changes = cacheKey ? cache.get(cacheKey) : undefined;
    if (!changes) {
      changes = walk(before, after, direction);
      if (cacheKey) cache.set(cacheKey, changes);
    }
    return changes.map((c) => ({ ...c, location: c.location!.replace(ROOT, root) }));
  }

  // Breadth first, so each change is reported at the shortest location that reaches it; a visited set of
  // (old ref, new ref) pairs stops recursive definitions and reports each definition pair once per root.
  function walk(before: Schema, after: Schema, direction: Direction): Change[] {
    const changes: Change[] = [];
    const visited = new Set<string>();
    const queue: { a: Schema; b: Schema; loc: string }[] = [{ a: before, b: after, loc: ROOT }];
    for (let i = 0; i < queue.length; i++) {
      const { a, b, loc } = queue[i]!;
      if (a.$ref || b.$ref) {
        const key = `${a.$ref ?? `~${loc}`}|${b.$ref ?? `~${loc}`}`;
        if (visited.has(key)) continue;
        visited.add(key);
      }
      const ra = resolve(oldDefs, a);
      const rb = resolve(newDefs, b);
      const ta = typeOf(ra);
      const tb = typeOf(rb);
      if (ta && tb && ta !== tb) {
        changes.push({ kind: `${direction}.typeChanged`, breaking: true, location: loc, detail: `type ${ta} → ${tb}`, before: ta, after: tb });
        continue;
      }
      if (ra.enum && rb.enum) {
        const kept = new Set(rb.enum.map(String));
        const removed = ra.enum.filter((v) => !kept.has(String(v)));
        if (removed.length) {
          changes.push({
            kind: `${direction}.enumValueRemoved`,
            breaking: true,
            location: loc,
            detail: `enum value(s) removed: ${removed.join(", ")}`,
            before: removed,
          });
        }
      }
      const pa = ra.properties ?? {};
      const pb = rb.properties ?? {};
      for (const name of Object.keys(pa)) {
        const prop = pa[name]!;
        // Read-only fields are set by the server: a request never sends them, so losing one breaks no sender.
        if (direction === "request" && (prop.readOnly || resolve(oldDefs, prop).readOnly)) continue;
        const at = `${loc}.${name}`;
        if (!(name in pb)) changes.push({ kind: `${direction}.fieldRemoved`, breaking: true, location: at, detail: "field removed" });
        else queue.push({ a: prop, b: pb[name]!, loc: at });
      }
      if (direction === "request") {
        const wasRequired = new Set(ra.required ?? []);
        for (const name of rb.required ?? []) {
          const prop = pb[name];
          if (wasRequired.has(name) || !prop || prop.readOnly) continue;
          const detail = name in pa ? "field is required now" : "new required field";
          changes.push({ kind: "request.fieldRequired", breaking: true, location: `${loc}.${name}`, detail });
        }
      }
      if (ra.items && rb.items) queue.push({ a: ra.items, b: rb.items, loc: `${loc}[]` });
      if (isSchema(ra.additionalProperties) && isSchema(rb.additionalProperties)) {
        queue.push({ a: ra.additionalProperties, b: rb.additionalProperties, loc: `${loc}{}` });
      }
    }
    return changes;
  }

  return { diff };
}

/** Follows `#/definitions/...` references (chains included); an unresolvable one compares as "anything". */
export function resolve(defs: Definitions, schema: Schema): Schema {
  let current = schema;
  for (let hops = 0; current.$ref && hops < 20; hops++) {
    const target = defs[current.$ref.replace(/^#\/definitions\//, "")] as Schema | undefined;
    if (!target) return {};
    current = target;
  }
  return current;
}

/** JSON type as TypeScript sees it: integer and number are both `number`, so integer ↔ number is no change. */
function typeOf(s: Schema): string | undefined {
  const t = s.type ?? (s.properties ? "object" : s.items ? "array" : undefined);
  return t === "integer" ? "number" : t;
}

function isSchema(value: unknown): value is Schema {
  return typeof value === "object" && value !== null;
}
