// Paths the simulator does not implement: is it a real operation of the spec (→ 501 naming it) or not (→ 404)?
import { listOperations } from "../operations/index.js";
import { matchSegments } from "./routes.js";

export interface SpecMatch {
  /** Path template of the spec, e.g. `/api/v2/routing/queues/{queueId}`. */
  template: string;
  /** operationId for the request's method, when the spec has one. */
  operationId: string | undefined;
  /** Methods the spec has on this path. */
  methods: string[];
}

interface SpecPath {
  template: string;
  segments: string[];
  literals: number;
  operations: Map<string, string>;
}

let bySegmentCount: Map<number, SpecPath[]> | undefined;

// Built on first unknown path: most simulator runs never need it.
function index(): Map<number, SpecPath[]> {
  if (bySegmentCount) return bySegmentCount;
  const paths = new Map<string, SpecPath>();
  for (const op of listOperations()) {
    let entry = paths.get(op.path);
    if (!entry) {
      const segments = op.path.split("/");
      entry = { template: op.path, segments, literals: segments.filter((s) => !s.startsWith("{")).length, operations: new Map() };
      paths.set(op.path, entry);
    }
    entry.operations.set(op.method, op.operationId);
  }
  bySegmentCount = new Map();
  for (const entry of paths.values()) {
    const list = bySegmentCount.get(entry.segments.length) ?? [];
    list.push(entry);
    bySegmentCount.set(entry.segments.length, list);
  }
  // Most literal segments first: `/users/search` wins over `/users/{userId}`.
  for (const list of bySegmentCount.values()) list.sort((a, b) => b.literals - a.literals);
  return bySegmentCount;
}

export function findSpecPath(method: string, path: string): SpecMatch | undefined {
  const segments = path.split("/");
  const candidates = index().get(segments.length) ?? [];
  let fallback: SpecPath | undefined;
  for (const entry of candidates) {
    if (!matchSegments(entry.segments, segments)) continue;
    if (entry.operations.has(method)) return toMatch(entry, method);
    fallback ??= entry;
  }
  return fallback && toMatch(fallback, method);
}

function toMatch(entry: SpecPath, method: string): SpecMatch {
  return { template: entry.template, operationId: entry.operations.get(method), methods: [...entry.operations.keys()] };
}
