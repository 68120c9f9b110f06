// What the simulator answers to one request, decided when it arrives: bearer check → rate limit → fault → route.
// The server then waits the planned delay and writes the reply (or breaks the connection).
import { errorBody, SimHttpError, statusFaultBody } from "./errors.js";
import type { FaultTable } from "./faults.js";
import { checkBearer, handleTokenRequest, type TokenStore } from "./oauth.js";
import type { ResolvedOptions } from "./options.js";
import type { Random } from "./random.js";
import type { LimitStack } from "./limit-stack.js";
import { jsonReply, type Reply, type SimRequest } from "./reply.js";
import { matchRoute, type RouteMatch } from "./routes.js";
import { findSpecPath, type SpecMatch } from "./spec-routes.js";
import type { StatsRecorder } from "./stats.js";

export const TOKEN_PATH = "/oauth/token";
const API_PREFIX = "/api/v2/";

/** The simulator's live state; `configure()` swaps its parts. */
export interface SimState {
  options: ResolvedOptions;
  tokens: TokenStore;
  limiter: LimitStack | undefined;
  faults: FaultTable;
  random: Random;
  stats: StatsRecorder;
}

export interface Target {
  /** Route template (or the raw path when unknown): the key of stats and of fault matching. */
  route: string;
  match: RouteMatch | undefined;
  spec: SpecMatch | undefined;
}

export interface Plan {
  delayMs: number;
  reply: Reply;
  /** Write the headers and half the body, then destroy the socket. */
  reset: boolean;
}

export function resolveTarget(method: string, path: string): Target {
  if (path === TOKEN_PATH) return { route: TOKEN_PATH, match: undefined, spec: undefined };
  const match = matchRoute(method, path);
  if (match) return { route: match.template, match, spec: undefined };
  const spec = path.startsWith(API_PREFIX) ? findSpecPath(method, path) : undefined;
  return { route: spec?.template ?? path, match: undefined, spec };
}

export function planReply(req: SimRequest, target: Target, state: SimState, now: number): Plan {
  const { options } = state;
  const isApi = req.path.startsWith(API_PREFIX);
  const delayMs = isApi ? baseLatency(options.latencyMs, state.random) : 0;
  let limitHeaders: Record<string, string> = {};

  if (isApi && options.requireAuth) {
    const denied = checkBearer(req.headers.authorization, state.tokens, now, req.correlationId);
    if (denied) return { delayMs, reply: denied, reset: false };
  }
  if (isApi && state.limiter) {
    const authorization = req.headers.authorization ?? "anonymous";
    const decision = state.limiter.take({ token: authorization, clientId: state.tokens.clientOf(bearer(authorization)) }, target.route, req.path, now);
    if (options.rateLimitHeaders) limitHeaders = decision.headers;
    if (!decision.allowed) {
      const retryAfter = String(decision.retryAfter);
      const body = { ...statusFaultBody(429, decision.retryAfter, req.correlationId), ...(decision.limit ? { limit: decision.limit } : {}) };
      const reply = jsonReply(429, body, { ...limitHeaders, "retry-after": retryAfter });
      return { delayMs, reply, reset: false };
    }
  }

  const fault = state.faults.pick({ method: req.method, route: target.route, path: req.path }, now);
  const plan = (reply: Reply, reset = false): Plan => ({
    delayMs: delayMs + (fault?.latencyMs ?? 0),
    reply: { ...reply, headers: { ...reply.headers, ...limitHeaders } },
    reset,
  });
  const retryAfterHeader: Record<string, string> = fault?.retryAfter === undefined ? {} : { "retry-after": String(fault.retryAfter) };

  if (fault?.kind === "status") {
    const status = fault.status ?? 503;
    return plan(jsonReply(status, statusFaultBody(status, fault.retryAfter, req.correlationId), retryAfterHeader));
  }
  const reply = handle(req, target, state, now);
  const succeeded = reply.status >= 200 && reply.status < 300;
  if (fault?.kind === "processed-then-503" && succeeded) {
    return plan(jsonReply(503, statusFaultBody(503, fault.retryAfter, req.correlationId), retryAfterHeader));
  }
  if (fault?.kind === "malformed-json" && succeeded) {
    return plan({ status: 200, headers: { "content-type": "application/json" }, body: reply.body.slice(0, Math.max(1, Math.floor(reply.body.length / 2))) });
  }
  return plan(reply, fault?.kind === "reset");
}

function handle(req: SimRequest, target: Target, state: SimState, now: number): Reply {
  const { options } = state;
  if (target.route === TOKEN_PATH) {
    if (req.method === "POST") return handleTokenRequest(req, options.clients, state.tokens, options.tokenTtlSeconds, now);
    return jsonReply(404, errorBody(404, "not.found", `${req.method} ${TOKEN_PATH} does not exist: request tokens with POST.`, req.correlationId));
  }
  if (target.match) {
    try {
      return target.match.handle({ ...req, params: target.match.params }, { options, executions: state.stats.executions, limits: state.limiter });
    } catch (error) {
      if (error instanceof SimHttpError) return jsonReply(error.status, errorBody(error.status, error.code, error.message, req.correlationId));
      throw error;
    }
  }
  return jsonReply(...unimplemented(req, target.spec));
}

function unimplemented(req: SimRequest, spec: SpecMatch | undefined): [number, ReturnType<typeof errorBody>] {
  const id = req.correlationId;
  if (spec?.operationId) {
    const message = `${req.method} ${spec.template} is a real Genesys operation (${spec.operationId}) that the simulator does not implement.`;
    return [501, errorBody(501, "not.implemented", message, id)];
  }
  if (spec) {
    const message = `The Genesys API has no ${req.method} ${spec.template} (it has ${spec.methods.join(", ")}).`;
    return [404, errorBody(404, "not.found", message, id)];
  }
  return [404, errorBody(404, "not.found", `The requested resource was not found: ${req.path.slice(0, 200)}`, id)];
}

const bearer = (authorization: string) => /^Bearer\s+(\S+)\s*$/i.exec(authorization)?.[1] ?? "";

function baseLatency(latency: number | [number, number], random: Random): number {
  if (!Array.isArray(latency)) return latency;
  const [min, max] = latency;
  return min + Math.floor(random.next() * (max - min + 1));
}
