// Public types of the Genesys-like simulator (`genesys-cloud-sdk/simulator`).

/** How a limit names itself in a 429 body's `limit` (`{ key, namespace, value }`, as Genesys since 2023). */
export interface LimitName {
  key: string;
  namespace: string;
}

/** Token bucket: `capacity` requests at once, refilled at `refillPerSecond`. */
export interface TokenBucketLimit {
  model: "token-bucket";
  capacity: number;
  refillPerSecond: number;
  /** Name in 429 bodies (value: the refill per minute); `false` or absent: none. */
  name?: LimitName | false;
}

/** Fixed window: `limit` requests per `windowSeconds` (Genesys: "300 requests within 60 seconds"). */
export interface FixedWindowLimit {
  model: "fixed-window";
  limit: number;
  windowSeconds: number;
  /** Name in 429 bodies (value: `limit`). Default for a 60 s window `{ key: "token.rate.per.minute", namespace: "platform.api" }`, else none; `false` for none. */
  name?: LimitName | false;
}

/** A limit on top of the per-token `rateLimit`: e.g. a namespace's limit on its routes, or one OAuth client's. */
export interface LayeredLimit {
  /** Who shares one count: each bearer token, every token of one OAuth client, or everybody. */
  per: "token" | "client" | "org";
  /** Routes it applies to: template, path or pattern with `*` (as fault routes). Default every `/api/v2/` route. */
  route?: string;
  limit: RateLimitModel;
}

export type RateLimitModel = TokenBucketLimit | FixedWindowLimit;

export type FaultKind =
  /** Answer `status` (500/502/503/504, or 429) with Genesys's error body instead of handling the request. */
  | "status"
  /** Handle the request (a POST's work is recorded), write the headers and half the body, then destroy the socket. */
  | "reset"
  /** Handle the request (a POST's work is recorded), then answer 200 `application/json` with the body cut in half (a 4xx answer is sent as is). */
  | "malformed-json"
  /** Handle the request (a POST's execution is recorded), then answer 503 instead — a blind retry creates a duplicate (a 4xx answer is sent as is: nothing was processed). */
  | "processed-then-503"
  /** Delay the answer by `latencyMs`, then handle the request normally. */
  | "latency";

/**
 * One fault. A rule applies to a request when its route, method, window and count match and the seeded
 * random draw falls under `probability`; otherwise the next rule is tried. The first rule that applies wins.
 * Faults are decided after the bearer check and the rate limit (a faulted request still used its quota).
 */
export interface FaultRule {
  kind: FaultKind;
  /**
   * Path template, concrete path, or pattern with `*` (any characters), matched against both the route template
   * and the request path: `/api/v2/flows/executions`, `/api/v2/users*`, `/api/v2/users/{userId}`, `/oauth/token`.
   * Default: every `/api/v2/` route. The token endpoint only gets faults from rules whose `route` matches `/oauth/token`.
   */
  route?: string;
  /** HTTP method to match; default any. */
  method?: string;
  /** For `status`: the status to answer, one of 429, 500, 502, 503, 504. Default 503. */
  status?: number;
  /** Whole seconds (≥ 1) for a `Retry-After` header on a `status` / `processed-then-503` answer; no header when undefined. */
  retryAfter?: number;
  /** Chance (0..1) that a matching request gets the fault. Default 1. */
  probability?: number;
  /** Active only from `startMs` (default 0) to `endMs` (default forever) after the rules were installed (start, or `configure({ faults })`). */
  window?: { startMs?: number; endMs?: number };
  /** Applies at most `count` times (to the first `count` requests it applies to). Default unlimited. */
  count?: number;
  /** For `latency` (and, when set, added before any other kind): milliseconds of delay. Default 0. */
  latencyMs?: number;
}

export interface SimulatorClient {
  clientId: string;
  clientSecret: string;
}

export interface SimulatorOptions {
  /** Port on 127.0.0.1. Default 0 (any free port). */
  port?: number;
  /** OAuth clients accepted by `POST /oauth/token`. Default `[{ clientId: "sim-client", clientSecret: "sim-secret" }]`. */
  clients?: SimulatorClient[];
  /** Token lifetime in seconds (`expires_in`). Default 86400. */
  tokenTtlSeconds?: number;
  /** Require a valid bearer token on `/api/v2/*`. Default true. */
  requireAuth?: boolean;
  /**
   * Per-token rate limit (keyed by the `Authorization` header value); `false` for none.
   * Default `{ model: "fixed-window", limit: 300, windowSeconds: 60 }` (Genesys's documented per-token default; its
   * 429s name `token.rate.per.minute` in `platform.api`). Applies to `/api/v2/` only, never to `/oauth/token`.
   * A 429 carries `Retry-After` in whole seconds and Genesys's body: "Retry the request in [N] seconds", code
   * `too.many.requests.retry.after`, and `limit: { key, namespace, value }` when the model has a name.
   */
  rateLimit?: RateLimitModel | false;
  /** More limits on top of `rateLimit`, checked in order (per namespace, per OAuth client, …). Default none. */
  limits?: LayeredLimit[];
  /**
   * Send `inin-ratelimit-allowed/count/reset` on limited answers. Default false, as Genesys since 2021 (clients
   * see only 429 with `Retry-After`); true models the older API and proxies that still send them.
   */
  rateLimitHeaders?: boolean;
  /** Fault rules, in order; the first rule that applies wins (see {@link FaultRule}). Default none. */
  faults?: FaultRule[];
  /** Latency added to every `/api/v2/` answer, in ms (a number, or [min, max] for uniform random). Default 0. */
  latencyMs?: number | [number, number];
  /** Size of the user directory behind `/api/v2/users`. Default 250. */
  users?: number;
  /** Conversations behind `/api/v2/conversations/messages`. Default 60. */
  conversations?: number;
  /** Items behind each cursor-paged listing (external contacts scan, audit results, assistants). Default 120. */
  cursorItems?: number;
  /**
   * Origin (`https://other.example.com`) prefixed to the listings' links (`nextUri`, `previousUri`, `firstUri`,
   * `lastUri`, `selfUri`) to test foreign `nextUri` handling. Default none: links are relative, like Genesys's.
   */
  nextUriOrigin?: string;
  /** Seed of the random generator (faults, latency). Default 1. */
  seed?: number;
}

/** One request as it arrived. `stats().arrivals` keeps the latest 100 000. */
export interface Arrival {
  /** ms since the simulator started (performance.now based). */
  t: number;
  method: string;
  /** Matched route template, or the raw path when none matched. */
  route: string;
  /** Status answered (0 while in flight, or when the connection was reset or closed before the answer). */
  status: number;
}

export interface SimulatorStats {
  /** Every request that arrived (API, token endpoint, anything else). */
  requests: number;
  /** By method and route template, counted when the answer is done: `"GET /api/v2/users"` → { "200": 10, "429": 2 } ("0" = reset). */
  byRoute: Record<string, Record<string, number>>;
  /** 429 answers sent (rate limit and 429 faults, token endpoint included). */
  rateLimited: number;
  /** `POST /oauth/token` requests that arrived, whatever their answer. */
  tokenRequests: number;
  /** Requests arrived and not yet answered (added latency included). */
  inFlight: number;
  /** Highest `inFlight` seen. */
  maxInFlight: number;
  arrivals: Arrival[];
  executions: {
    flows: number;
    actions: number;
    /** Executions whose request was executed before (same path + same JSON body, key order ignored): 3 identical → 2. */
    duplicates: number;
  };
}

export interface Simulator {
  /** `http://127.0.0.1:<port>`: both the API and the login origin. */
  url: string;
  port: number;
  /** A snapshot (copies) of the counters. */
  stats(): SimulatorStats;
  /** Zeroes the counters, arrivals and the execution record (`inFlight` stays live; `maxInFlight` restarts from it). */
  resetStats(): void;
  /**
   * Changes options at run time (limits, faults, latency, token lifetime, …); throws `ConfigurationError` on a bad value.
   * A new `rateLimit` starts with fresh counters; new `faults` restart their windows and counts now; tokens already
   * issued keep their expiry.
   */
  configure(patch: Partial<Omit<SimulatorOptions, "port">>): void;
  /** Issues a token directly (as if `/oauth/token` had been called) — for tests. Not counted in stats. */
  issueToken(ttlSeconds?: number): string;
  /** Closes every socket and timer (requests still waiting on latency are dropped); resolves when the server is closed. */
  close(): Promise<void>;
}
