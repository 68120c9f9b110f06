// The endpoints the simulator implements, on the spec's real paths, with realistic bodies and Genesys's validation.
import { randomUUID } from "node:crypto";
import { assistant, conversation, externalContact, user, userIndex, userMe } from "./data.js";
import { badRequest, notFound } from "./errors.js";
import { notificationRoutes } from "./notification-routes.js";
import type { NotificationHub } from "./notifications.js";
import type { ResolvedOptions } from "./options.js";
import { JOB_ROUTES } from "./job-routes.js";
import type { JobStore } from "./jobs.js";
import { decodeCursor, encodeCursor, intParam, linkMaker, pageNumberListing, range } from "./paging.js";
import { isObject, jsonObjectBody, jsonReply, type Reply, type SimRequest } from "./reply.js";
import type { ExecutionLog } from "./stats.js";
import type { LimitStack } from "./limit-stack.js";

export interface RouteContext {
  options: ResolvedOptions;
  executions: ExecutionLog;
  jobs: JobStore;
  /** performance.now() when the request arrived. */
  now: number;
  notifications: NotificationHub;
  limits?: LimitStack | undefined;
}

interface Route {
  method: string;
  template: string;
  segments: string[];
  handle(req: SimRequest, ctx: RouteContext): Reply;
}

const ok = (body: unknown) => jsonReply(200, body);

function route(method: string, template: string, handle: Route["handle"]): Route {
  return { method, template, segments: template.split("/"), handle };
}

// Literal routes first: `/users/me` must win over `/users/{userId}`.
const ROUTES: Route[] = [
  ...JOB_ROUTES.map((r) => route(r.method, r.template, r.handle)),
  route("GET", "/api/v2/users/me", () => ok(userMe())),
  route("GET", "/api/v2/users/{userId}", (req, { options }) => {
    const index = userIndex(req.params.userId, options.users);
    if (index === undefined) throw notFound(`Unable to find a user with id [${req.params.userId.slice(0, 80)}]`);
    return ok(user(index));
  }),
  route("GET", "/api/v2/users", (req, { options }) => {
    const link = linkMaker(options.nextUriOrigin);
    const ids = req.query
      .getAll("id")
      .flatMap((v) => v.split(","))
      .filter(Boolean);
    if (ids.length === 0) return ok(pageNumberListing(req.path, req.query, options.users, (s, e) => range(s, e, user), link));
    // Bulk fetch by id: unknown ids are left out, like Genesys does.
    const found = ids
      .map((id) => userIndex(id, options.users))
      .filter((i): i is number => i !== undefined)
      .map(user);
    return ok(pageNumberListing(req.path, req.query, found.length, (s, e) => found.slice(s, e), link));
  }),
  // The limits the simulator enforces, in the spec's `LimitsEntityListing` shape.
  route("GET", "/api/v2/organizations/limits/namespaces/{namespaceName}", (req, { limits }) =>
    ok({ entities: limits?.namespace(req.params.namespaceName) ?? [] }),
  ),
  route("GET", "/api/v2/conversations/messages", (req, { options }) => {
    const make = (i: number) => conversation(i, options.users);
    return ok(pageNumberListing(req.path, req.query, options.conversations, (s, e) => range(s, e, make), linkMaker(options.nextUriOrigin)));
  }),
  route("POST", "/api/v2/flows/executions", (req, { executions }) => {
    const body = jsonObjectBody(req);
    const { flowId, flowVersion, inputData, name } = body;
    if (typeof flowId !== "string" || flowId === "") throw badRequest("flowId is required and must be a non-empty string");
    if (flowVersion !== undefined && typeof flowVersion !== "string") throw badRequest("flowVersion must be a string");
    if (inputData !== undefined && !isObject(inputData)) throw badRequest("inputData must be an object");
    if (name !== undefined && typeof name !== "string") throw badRequest("name must be a string");
    executions.record("flows", req.path, body);
    const id = randomUUID();
    return ok({ id, name: name ?? `${flowId} execution`, flowVersion: { id: flowVersion ?? "1.0" }, selfUri: `/api/v2/flows/executions/${id}` });
  }),
  route("POST", "/api/v2/integrations/actions/{actionId}/execute", (req, { executions }) => {
    const body = jsonObjectBody(req);
    executions.record("actions", req.path, body);
    return ok({ actionId: req.params.actionId, executionId: randomUUID(), status: "success", input: body });
  }),
  route("GET", "/api/v2/externalcontacts/scan/contacts", (req, { options }) => {
    const total = options.cursorItems;
    const limit = intParam(req.query, "limit", { def: 100, min: 10, max: 200 });
    const start = decodeCursor("contacts", req.query.get("cursor"), total);
    const end = Math.min(total, start + limit);
    const link = linkMaker(options.nextUriOrigin);
    const self = `${req.path}?limit=${limit}${start > 0 ? `&cursor=${encodeCursor("contacts", start)}` : ""}`;
    const after = end < total ? encodeCursor("contacts", end) : undefined;
    return ok({
      entities: range(start, end, externalContact),
      cursors: after ? { after } : {},
      nextUri: after ? link(`${req.path}?limit=${limit}&cursor=${after}`) : undefined,
      selfUri: link(self),
    });
  }),
  route("GET", "/api/v2/assistants", (req, { options }) => {
    const total = options.cursorItems;
    // `limit` is the deprecated name of `pageSize`.
    const size = req.query.has("pageSize") ? "pageSize" : req.query.has("limit") ? "limit" : "pageSize";
    const pageSize = intParam(req.query, size, { def: 25, min: 1, max: 200 });
    const start = decodeCursor("assistants", req.query.get("after"), total, "after");
    const end = Math.min(total, start + pageSize);
    const link = linkMaker(options.nextUriOrigin);
    const after = end < total ? encodeCursor("assistants", end) : undefined;
    return ok({
      entities: range(start, end, assistant),
      nextUri: after ? link(`${req.path}?pageSize=${pageSize}&after=${after}`) : undefined,
      selfUri: link(`${req.path}?pageSize=${pageSize}${start > 0 ? `&after=${encodeCursor("assistants", start)}` : ""}`),
    });
  }),
  ...notificationRoutes(route),
];

export interface RouteMatch {
  template: string;
  params: Record<string, string>;
  handle(req: SimRequest, ctx: RouteContext): Reply;
}

/** The implemented route for `method` + `path`, with its path parameters (decoded). */
export function matchRoute(method: string, path: string): RouteMatch | undefined {
  const segments = path.split("/");
  for (const r of ROUTES) {
    if (r.method !== method || r.segments.length !== segments.length) continue;
    const params = matchSegments(r.segments, segments);
    if (params) return { template: r.template, params, handle: r.handle };
  }
  return undefined;
}

/** Path parameters when `segments` fit `template` (`{name}` matches one non-empty segment). */
export function matchSegments(template: readonly string[], segments: readonly string[]): Record<string, string> | undefined {
  const params: Record<string, string> = {};
  for (let i = 0; i < template.length; i++) {
    const t = template[i];
    const s = segments[i];
    if (t.startsWith("{") && t.endsWith("}")) {
      if (s === "") return undefined;
      params[t.slice(1, -1)] = safeDecode(s);
    } else if (t !== s) {
      return undefined;
    }
  }
  return params;
}

function safeDecode(segment: string): string {
  try {
    return decodeURIComponent(segment);
  } catch {
    return segment;
  }
}
