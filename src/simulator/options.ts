// Simulator options: defaults and validation. Bad values throw a ConfigurationError naming the option.
import { ConfigurationError } from "../errors.js";
import { JOB_DEFAULTS, resolveJobOptions, type ResolvedJobOptions } from "./job-options.js";
import { NOTIFICATION_DEFAULTS, resolveNotificationOptions, type ResolvedNotificationOptions } from "./notification-options.js";
import type { FaultRule, LayeredLimit, RateLimitModel, SimulatorClient, SimulatorOptions } from "./types.js";

export interface ResolvedOptions {
  port: number;
  clients: SimulatorClient[];
  tokenTtlSeconds: number;
  requireAuth: boolean;
  rateLimit: RateLimitModel | false;
  limits: LayeredLimit[];
  rateLimitHeaders: boolean;
  faults: FaultRule[];
  latencyMs: number | [number, number];
  users: number;
  conversations: number;
  cursorItems: number;
  nextUriOrigin: string | undefined;
  seed: number;
  jobs: ResolvedJobOptions;
  notifications: ResolvedNotificationOptions;
}

export const DEFAULT_CLIENT: SimulatorClient = { clientId: "sim-client", clientSecret: "sim-secret" };

export const DEFAULTS: ResolvedOptions = {
  port: 0,
  clients: [DEFAULT_CLIENT],
  tokenTtlSeconds: 86_400,
  requireAuth: true,
  rateLimit: { model: "fixed-window", limit: 300, windowSeconds: 60 },
  limits: [],
  rateLimitHeaders: false,
  faults: [],
  latencyMs: 0,
  users: 250,
  conversations: 60,
  cursorItems: 120,
  nextUriOrigin: undefined,
  seed: 1,
  jobs: JOB_DEFAULTS,
  notifications: NOTIFICATION_DEFAULTS,
};

const OPTION_NAMES = new Set(Object.keys(DEFAULTS));
const FAULT_KINDS = new Set(["status", "reset", "malformed-json", "processed-then-503", "latency"]);
const FAULT_STATUSES = new Set([429, 500, 502, 503, 504]);

/** Merges `patch` over `base` and validates the result. */
export function resolveOptions(base: ResolvedOptions, patch: Partial<SimulatorOptions>): ResolvedOptions {
  if (!patch || typeof patch !== "object") throw new ConfigurationError("Simulator options must be an object");
  for (const key of Object.keys(patch)) {
    if (!OPTION_NAMES.has(key)) throw new ConfigurationError(`Unknown simulator option "${key}". Known: ${[...OPTION_NAMES].join(", ")}`);
  }
  const defined = Object.fromEntries(Object.entries(patch).filter(([key, value]) => value !== undefined || key === "nextUriOrigin"));
  const o: ResolvedOptions = { ...base, ...defined };
  integer("port", o.port, 0, 65_535);
  checkClients(o.clients);
  positive("tokenTtlSeconds", o.tokenTtlSeconds);
  if (typeof o.requireAuth !== "boolean") throw new ConfigurationError(`requireAuth must be a boolean (got ${show(o.requireAuth)})`);
  if (o.rateLimit !== false) checkRateLimit(o.rateLimit);
  if (!Array.isArray(o.limits)) throw new ConfigurationError(`limits must be an array of { per, route?, limit } (got ${show(o.limits)})`);
  o.limits.forEach((l, i) => {
    if (!l || typeof l !== "object" || !["token", "client", "org"].includes(l.per))
      throw new ConfigurationError(`limits[${i}].per must be "token", "client" or "org"`);
    if (l.route !== undefined && (typeof l.route !== "string" || l.route === "")) throw new ConfigurationError(`limits[${i}].route must be a non-empty string`);
    checkRateLimit(l.limit, `limits[${i}].limit`);
  });
  if (typeof o.rateLimitHeaders !== "boolean") throw new ConfigurationError(`rateLimitHeaders must be a boolean (got ${show(o.rateLimitHeaders)})`);
  if (!Array.isArray(o.faults)) throw new ConfigurationError(`faults must be an array of fault rules (got ${show(o.faults)})`);
  o.faults.forEach(checkFault);
  checkLatency(o.latencyMs);
  integer("users", o.users, 1, 1_000_000);
  integer("conversations", o.conversations, 0, 1_000_000);
  integer("cursorItems", o.cursorItems, 0, 1_000_000);
  if (o.nextUriOrigin !== undefined) o.nextUriOrigin = checkOrigin(o.nextUriOrigin);
  integer("seed", o.seed, -(2 ** 31), 2 ** 32);
  o.jobs = resolveJobOptions(base.jobs, patch.jobs);
  o.notifications = resolveNotificationOptions(base.notifications, patch.notifications);
  return {
    ...o,
    clients: o.clients.map((c) => ({ ...c })),
    faults: o.faults.map((f) => ({ ...f })),
    limits: o.limits.map((l) => ({ ...l, limit: { ...l.limit } })),
  };
}

function checkClients(clients: unknown): void {
  if (!Array.isArray(clients) || clients.length === 0) throw new ConfigurationError("clients must be a non-empty array of { clientId, clientSecret }");
  clients.forEach((c: Partial<SimulatorClient>, i) => {
    if (!c || typeof c.clientId !== "string" || c.clientId === "" || typeof c.clientSecret !== "string" || c.clientSecret === "") {
      throw new ConfigurationError(`clients[${i}] must have a non-empty string clientId and clientSecret`);
    }
  });
}

function checkRateLimit(limit: RateLimitModel, at = "rateLimit"): void {
  if (!limit || typeof limit !== "object") throw new ConfigurationError(`${at} must be a rate limit model or false (got ${show(limit)})`);
  if (limit.model === "fixed-window") {
    integer(`${at}.limit`, limit.limit, 1, Number.MAX_SAFE_INTEGER);
    positive(`${at}.windowSeconds`, limit.windowSeconds);
  } else if (limit.model === "token-bucket") {
    integer(`${at}.capacity`, limit.capacity, 1, Number.MAX_SAFE_INTEGER);
    positive(`${at}.refillPerSecond`, limit.refillPerSecond);
  } else {
    throw new ConfigurationError(`${at}.model must be "fixed-window" or "token-bucket" (got ${show((limit as { model?: unknown }).model)})`);
  }
  const name = limit.name;
  if (
    name !== undefined &&
    name !== false &&
    !(name && typeof name === "object" && typeof name.key === "string" && name.key !== "" && typeof name.namespace === "string" && name.namespace !== "")
  ) {
    throw new ConfigurationError(`${at}.name must be { key, namespace } (non-empty strings) or false (got ${show(name)})`);
  }
}

function checkFault(rule: FaultRule, i: number): void {
  const at = `faults[${i}]`;
  if (!rule || typeof rule !== "object") throw new ConfigurationError(`${at} must be a fault rule object`);
  if (!FAULT_KINDS.has(rule.kind)) throw new ConfigurationError(`${at}.kind must be one of ${[...FAULT_KINDS].join(", ")} (got ${show(rule.kind)})`);
  if (rule.route !== undefined && (typeof rule.route !== "string" || rule.route === "")) throw new ConfigurationError(`${at}.route must be a non-empty string`);
  if (rule.method !== undefined && (typeof rule.method !== "string" || !/^[A-Za-z]+$/.test(rule.method))) {
    throw new ConfigurationError(`${at}.method must be an HTTP method name (got ${show(rule.method)})`);
  }
  if (rule.status !== undefined && !FAULT_STATUSES.has(rule.status)) {
    throw new ConfigurationError(`${at}.status must be one of ${[...FAULT_STATUSES].join(", ")} (got ${show(rule.status)})`);
  }
  if (rule.retryAfter !== undefined) integer(`${at}.retryAfter`, rule.retryAfter, 1, 86_400);
  if (rule.probability !== undefined && !(typeof rule.probability === "number" && rule.probability >= 0 && rule.probability <= 1)) {
    throw new ConfigurationError(`${at}.probability must be a number from 0 to 1 (got ${show(rule.probability)})`);
  }
  if (rule.window !== undefined) {
    const { startMs = 0, endMs = Infinity } = rule.window ?? {};
    if (!(typeof startMs === "number" && typeof endMs === "number" && startMs >= 0 && endMs > startMs)) {
      throw new ConfigurationError(`${at}.window must be { startMs ≥ 0, endMs > startMs } (got ${show(rule.window)})`);
    }
  }
  if (rule.count !== undefined) integer(`${at}.count`, rule.count, 0, Number.MAX_SAFE_INTEGER);
  if (rule.latencyMs !== undefined) integer(`${at}.latencyMs`, rule.latencyMs, 0, 600_000);
  if (rule.kind === "latency" && rule.latencyMs === undefined) throw new ConfigurationError(`${at}: a "latency" fault needs latencyMs`);
}

function checkLatency(latency: number | [number, number]): void {
  if (Array.isArray(latency)) {
    const [min, max] = latency;
    integer("latencyMs[0]", min, 0, 600_000);
    integer("latencyMs[1]", max, min, 600_000);
    if (latency.length !== 2) throw new ConfigurationError("latencyMs must be a number or a [min, max] pair");
  } else {
    integer("latencyMs", latency, 0, 600_000);
  }
}

function checkOrigin(value: string): string {
  try {
    const url = new URL(value);
    if (url.protocol === "http:" || url.protocol === "https:") return url.origin;
  } catch {
    // reported below
  }
  throw new ConfigurationError(`nextUriOrigin must be an http(s) origin such as "https://other.example.com" (got ${show(value)})`);
}

function integer(name: string, value: unknown, min: number, max: number): void {
  if (typeof value !== "number" || !Number.isInteger(value) || value < min || value > max) {
    throw new ConfigurationError(`${name} must be an integer from ${min} to ${max} (got ${show(value)})`);
  }
}

function positive(name: string, value: unknown): void {
  if (typeof value !== "number" || !Number.isFinite(value) || value <= 0) throw new ConfigurationError(`${name} must be a number > 0 (got ${show(value)})`);
}

function show(value: unknown): string {
  return typeof value === "string" ? `"${value}"` : (JSON.stringify(value) ?? String(value));
}
