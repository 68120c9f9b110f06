// Every limit a request meets, in order: the per-token `rateLimit`, then each layered limit (`limits`) whose routes
// match, counted per token, per OAuth client (all of its tokens share one count) or per org. The first that refuses
// answers the 429, with its `limit` named in the body when it has one (Genesys since 2023).
import { routeMatcher } from "./faults.js";
import { createRateLimiter, type RateLimiter } from "./rate-limit.js";
import type { LayeredLimit, LimitName, RateLimitModel } from "./types.js";

export interface StackDecision {
  allowed: boolean;
  retryAfter: number | undefined;
  /** `inin-ratelimit-*` of the per-token limit (or the refusing one). */
  headers: Record<string, string>;
  /** The refusing limit's name for the 429 body; undefined when it has none. */
  limit: (LimitName & { value: number }) | undefined;
}

export interface LimitStack {
  take(who: { token: string; clientId: string | undefined }, route: string, path: string, nowMs: number): StackDecision;
  /** The limits of a namespace, as `GET /api/v2/organizations/limits/namespaces/{namespace}` lists them. */
  namespace(name: string): { key: string; namespace: string; value: number }[];
}

/** The name a model gives in 429 bodies: its own `name`, else Genesys's per-token one for a 60 s window, else none. */
export function limitName(model: RateLimitModel): (LimitName & { value: number }) | undefined {
  if (model.name === false) return undefined;
  if (model.name) return { ...model.name, value: model.model === "fixed-window" ? model.limit : Math.round(model.refillPerSecond * 60) };
  if (model.model === "fixed-window" && model.windowSeconds === 60) return { key: "token.rate.per.minute", namespace: "platform.api", value: model.limit };
  return undefined;
}

export function createLimitStack(rateLimit: RateLimitModel | false, layered: readonly LayeredLimit[]): LimitStack | undefined {
  const layers = [
    ...(rateLimit ? [{ per: "token" as const, matches: () => true, limiter: createRateLimiter(rateLimit), name: limitName(rateLimit), primary: true }] : []),
    ...layered.map((l) => ({
      per: l.per,
      matches: routeMatcher(l.route),
      limiter: createRateLimiter(l.limit) as RateLimiter,
      name: limitName(l.limit),
      primary: false,
    })),
  ];
  if (layers.length === 0) return undefined;
  return {
    take({ token, clientId }, route, path, now) {
      let headers: Record<string, string> = {};
      for (const layer of layers) {
        if (!layer.matches(route, path)) continue;
        const key = layer.per === "org" ? "org" : layer.per === "client" ? `client:${clientId ?? token}` : token;
        const decision = layer.limiter.take(key, now);
        if (layer.primary || !decision.allowed) headers = decision.headers;
        if (!decision.allowed) return { allowed: false, retryAfter: decision.retryAfter, headers, limit: layer.name };
      }
      return { allowed: true, retryAfter: undefined, headers, limit: undefined };
    },
    namespace(name) {
      return layers.flatMap((l) => (l.name && l.name.namespace === name ? [{ key: l.name.key, namespace: l.name.namespace, value: l.name.value }] : []));
    },
  };
}
