// The rate limiter's seam: what the pipeline's rate-limit stage hands it for each attempt, what it answers, what it
// tells about itself, and the optional sharing dependency through which several limiters (processes) cooperate.
export type { NamedLimit } from "../retry-after.js";

/** One attempt asking for its turn. */
export interface RateLimitRequest {
  /** Route group of the path: first segment after `/api/v2/` (`users`, `flows`, …). Limits learned for a namespace apply to the route groups seen with it. */
  routeGroup: string;
  /** HTTP method, upper case. */
  method: string;
  /** Path template, e.g. `/api/v2/users/{userId}`. */
  path: string;
  /**
   * The most this attempt may wait for its turn, in ms: the call's remaining retry budget and deadline (`Infinity`
   * when unbounded). A pause that would outlast it is not waited out: `acquire` rejects at once with
   * `RetryBudgetExceededError` (reason `"retry-budget"`) saying the client is paused and for how long.
   */
  maxWaitMs: number;
  /** A retry of a call already under way: it goes ahead of first attempts, so calls under way finish first. */
  isRetry: boolean;
}

/** What the server answered to an attempt. */
export interface RateLimitAnswer {
  status: number;
  headers: Headers;
  /** Parsed JSON body of a 429, when readable (Genesys's `ErrorBody`: `message`, `code`, maybe `limit`). */
  body?: unknown;
}

/** Proof that an attempt was let through; hand it back to `complete`. */
export interface LimiterTicket {
  /** Sequence number, in the order the limiter let attempts go. */
  readonly seq: number;
  /** When it was let go, in the limiter's clock (ms). */
  readonly sentAt: number;
  /** The route group it was sent for. */
  readonly routeGroup: string;
}

/** The limiter's reading of a 429: the wait it started or joined for the callers sharing `scope`. Undefined for other answers. */
export type RateLimitVerdict =
  | {
      /** ms from now until everybody sharing `scope` may send again; 0 when nobody else has to wait (a token bucket refills continuously: only the pace drops). */
      pausedMs: number;
      /** Who shares that wait: `"client"`, a route group (scope `"route-group"`), or a namespace (`"namespace:directory"`). */
      scope: string;
    }
  | undefined;

/** How a server limit behaves, as far as the limiter has found out. */
export type LimitKind =
  /** Not known yet (no 429, or one 429 and the probe that tells has not answered). */
  | "unknown"
  /** Refills continuously: after a 429 the pace drops, nobody stops. */
  | "bucket"
  /** A count per window: after the window's quota everybody waits for its end. */
  | "window";

/** Where the limiter got what it knows about a limit. */
export type LimitSource =
  /** A 429 body's `limit` (`{ key, namespace, value }`). */
  | "body"
  /** The `inin-ratelimit-allowed/count/reset` headers (servers that still send them). */
  | "header"
  /** Learned from the answers themselves (429s, successes, `Retry-After`). */
  | "learned"
  /** `rateLimit.limits` in the client's options. */
  | "configured"
  /** `GET /api/v2/organizations/limits/namespaces/{namespace}` at start (`rateLimit.loadLimits`). */
  | "limits-api"
  /** Genesys's documented per-token default (300 per 60 s), assumed until the server proves it wrong. */
  | "default"
  /** Another limiter (process) through `LimitSharing`. */
  | "shared";

/** One server limit as the limiter knows it (an entry of `gc.stats().rateLimits`). */
export interface LearnedLimit {
  /** Genesys's key (`token.rate.per.minute`, …), or `"token"` for the per-token limit learned without a name. */
  key: string;
  /** Namespace the limit belongs to (`directory`, `platform.api`, …); undefined when it applies to every call of the client. */
  namespace: string | undefined;
  kind: LimitKind;
  /** Requests per second the limiter currently lets go under this limit (bucket, or while probing); undefined when unpaced. */
  ratePerSecond: number | undefined;
  /** Window: requests per window. */
  countPerWindow: number | undefined;
  /** Window: its length in ms. */
  windowMs: number | undefined;
  source: LimitSource;
}

/** The limiter's state, for `gc.stats()`. */
export interface RateLimitSnapshot {
  /** Requests per second currently allowed by the slowest pace (undefined when unpaced). */
  pace: number | undefined;
  /** Epoch ms at which the latest pause of any scope ends; undefined when nothing is paused. */
  pausedUntil: number | undefined;
  /** Attempts waiting for their turn. */
  queued: number;
  /** What it knows about each limit. */
  limits: LearnedLimit[];
}

/** A pause that everybody sharing `scope` observes. */
export interface PauseEvent {
  scope: string;
  /** ms from now. */
  pausedMs: number;
  /** Epoch ms at which it ends. */
  until: number;
  /** `"window"`: the window's quota is spent; `"retry-after"`: a 429 that says so (header mode, or an unknown window end); `"shared"`: another limiter said so. */
  reason: "window" | "retry-after" | "shared";
}

/** As cockatiel's: a listener registration that can be undone. */
export interface IDisposable {
  dispose(): void;
}

export interface RateLimiter {
  /** Waits until this attempt may go. Rejects with `signal.reason` on abort, with `RetryBudgetExceededError` when a pause would outlast `maxWaitMs`. */
  acquire(request: RateLimitRequest, signal: AbortSignal): Promise<LimiterTicket>;
  /**
   * The attempt ended: with an answer, or `undefined` for none (network error, timeout, abort). A promise while the
   * learning code loads (the first 429 or quota headers, learning.ts), else at once.
   */
  complete(ticket: LimiterTicket, answer: RateLimitAnswer | undefined): RateLimitVerdict | Promise<RateLimitVerdict>;
  snapshot(): RateLimitSnapshot;
  /** Something new was learned about a limit (its kind, rate, window, or a name from a 429 body). */
  onLearned(listener: (limit: LearnedLimit) => void): IDisposable;
  /** A pause began. */
  onPause(listener: (pause: PauseEvent) => void): IDisposable;
}

/** Time as the limiter sees it; injectable for simulated-time tests. */
export interface Clock {
  /** Monotonic ms. */
  now(): number;
  /** Epoch ms (`Date.now()`), for pauses shown to users and shared with other processes. */
  epochNow(): number;
  /** Calls `fn` after `ms`; the default clock's timers never keep the process alive (`unref`). */
  setTimeout(fn: () => void, ms: number): unknown;
  clearTimeout(handle: unknown): void;
}

/** What one limiter tells the others through `LimitSharing`. */
export type SharedLimitEvent =
  /** Everybody sharing `scope` waits until `until` (epoch ms). */
  | { type: "pause"; scope: string; until: number }
  /** What was learned about a limit (kind, rate, window, the body's name). */
  | { type: "limit"; limit: LearnedLimit };

/**
 * How several limiters (processes using the same OAuth client or token) share what they know. Optional: without
 * it each limiter works alone. Every method may fail or be slow (e.g. Redis is down): the limiter calls each with
 * a short timeout (`rateLimit.sharingTimeoutMs`), and when a call rejects or times out it goes on with what it
 * knows locally — it never waits longer, never fails a call because of sharing.
 *
 * When the limiter calls what:
 *  - `subscribe` once, when the limiter is created; it is told every event another limiter `publish`ed (not its
 *    own: events carry the publisher's `origin`). Events may arrive late, twice or never.
 *  - `publish` after a 429 that starts a pause (`pause`, with the epoch ms it ends) and when it learned something
 *    about a limit (`limit`). Fire and forget: the limiter does not wait for it.
 *  - `take` before letting a request go under a limit whose rate is known (a window's count ÷ its length, or a
 *    bucket's pace), so that the fleet together stays under it: GCRA on `key` with `ratePerSecond` and `burst`;
 *    it reserves one request and resolves to the ms to wait before sending it (0: now). The limiter waits that
 *    long (at most `maxWaitMs` of the attempt); a rejection or a timeout counts as 0.
 */
export interface LimitSharing {
  publish(event: SharedLimitEvent, origin: string): Promise<void>;
  subscribe(origin: string, listener: (event: SharedLimitEvent) => void): IDisposable;
  take(key: string, ratePerSecond: number, burst: number): Promise<number>;
  /**
   * Optional, with `limited`: the fleet's learned pace (fleet-pace.ts), used when no limit is stated and no
   * `requestsPerSecond` is set. Before each request: reports what this member saw since its previous turn and
   * reserves one request at the fleet's current rate. Both implemented or neither.
   */
  turn?(key: string, report: TurnReport): Promise<FleetTurn>;
  /** A 429 to a request whose turn came in `generation`: the fleet's rate is cut (unless it is an echo of an older cut). */
  limited?(key: string, generation: number): Promise<void>;
}

/**
 * What a member saw since its previous `turn`: successes of the opening's requests (generation 0: the limit's
 * burst, however late they come), and successes of requests whose turn came in `generation`.
 */
export interface TurnReport {
  openingOk: number;
  generation: number;
  ok: number;
  /** How long this member's latest answers took from their turn (ms, smoothed; 0: none yet). */
  rttMs: number;
  /** The longest wait this turn may reserve (ms): a longer one reserves nothing (`reserved` false). */
  maxWaitMs: number;
}

/** A member's turn under the fleet's learned pace. */
export interface FleetTurn {
  /** ms to wait before sending (0: now). */
  waitMs: number;
  /** Hand it back with a 429 to this request; -1 when the fleet did not answer (nothing to cut). */
  generation: number;
  /** The fleet is paced (a member then takes its turns one at a time). */
  paced: boolean;
  /** A request was reserved (false: the wait was longer than the turn's `maxWaitMs`; take another turn). */
  reserved: boolean;
}

/** A limit given up front (`rateLimit.limits`): `key` with a `*.per.minute`/`*.per.second` unit and its `value`. */
export interface KnownLimit {
  /** e.g. `token.rate.per.minute`, `user.rate.per.minute`: the unit gives the window. */
  key: string;
  /** e.g. `directory`; none for token-wide keys. */
  namespace?: string;
  /** Requests per the key's unit. */
  value: number;
  /** Route groups it applies to, when it is a namespace's limit (its 429s teach the rest). Default: every route group for token/client/org keys, else none until a 429 names the namespace. */
  routeGroups?: string[];
}
