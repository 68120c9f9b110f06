// Which operations the contract check sends: evenly spaced over the generated operation table per HTTP method
// (deterministic for a given spec), plus hand-picked ones with arrays, enums and nested bodies.
import type { HttpMethod, OperationInfo } from "../../../src/operations/index.js";

/** How many operations per method, spread evenly over the table (all of them when fewer). */
export const PER_METHOD: Record<Exclude<HttpMethod, "OPTIONS">, number> = { GET: 12, POST: 10, PUT: 8, PATCH: 8, DELETE: 8, HEAD: 2 };

export const HAND_PICKED = [
  "getUser", // path param, enum array query (expand), enum queries
  "getUsers", // string array queries (id, jabberId), enums, paging
  "getRoutingQueues", // several array queries, boolean query
  "postAnalyticsConversationsDetailsQuery", // nested body: interval, filters, enums
  "postUsersSearch", // body with arrays of criteria and enums
  "postRoutingQueueMembers", // array body + boolean query
  "patchRoutingQueueMembers", // PATCH with an array body
  "patchUser", // PATCH object body
  "patchUserPresence", // two path params
  "putRoutingQueue", // PUT with a large body
  "putUserRoutingskillsBulk", // PUT with an array body
  "deleteRoutingQueueMember", // DELETE, two path params
  "postFlowsExecutions", // body with a free-form map
] as const;

function spread<T>(items: readonly T[], count: number): T[] {
  if (items.length <= count) return [...items];
  return Array.from({ length: count }, (_, i) => items[Math.floor(((i + 0.5) * items.length) / count)]!);
}

export function sampleOperations(all: readonly OperationInfo[], byName: (name: string) => OperationInfo | undefined): OperationInfo[] {
  const picked = new Map<string, OperationInfo>();
  for (const [method, count] of Object.entries(PER_METHOD)) {
    for (const op of spread(
      all.filter((o) => o.method === method),
      count,
    ))
      picked.set(op.operationId, op);
  }
  for (const name of HAND_PICKED) {
    const op = byName(name);
    if (!op) throw new Error(`hand-picked operation ${name} is not in the spec`);
    picked.set(op.operationId, op);
  }
  return [...picked.values()].sort((a, b) => a.path.localeCompare(b.path) || a.method.localeCompare(b.method));
}
