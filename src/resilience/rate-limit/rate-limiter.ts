// The client-side rate limiter every attempt passes through. It decides *when* the next request may go, from:
//  - what it knows of each server limit (limit-track.ts): the per-token limit (Genesys's documented 300 per 60 s
//    assumed until proven wrong), and the namespace limits that 429 bodies name (`limit: { key, namespace, value }`)
//    — a `directory` limit slows only the route groups seen with it;
//  - on servers that still send them, the `inin-ratelimit-*` headers (quota-model.ts), to pace before any 429;
//  - an optional fixed cap (`requestsPerSecond`);
//  - optionally, other processes through `LimitSharing` (sharing.ts).
// A `Retry-After` binds the request that got it (the retry stage waits it out); whether everybody else waits
// depends on the limit's kind — a window's end, yes; a bucket, no (it refills: only the pace drops). A pause longer
// than `maxRetryAfterMs` (hourly or daily caps) is never imposed on the others: it applies only to the namespace the
// body names, and only as long as each waiting call may wait (`maxWaitMs`).
// Libraries considered: bottleneck and p-throttle pace at a rate given up front; the AWS SDK's adaptive limiter
// (@smithy/util-retry) ignores Retry-After and window limits; cockatiel has none. The bench compares them.
import { RetryBudgetExceededError } from "../../errors.js";
import { bodyLimit, keyWindowMs, readQuotaHeaders, retryAfterMs, type NamedLimit } from "../retry-after.js";

type QuotaHeaders = NonNullable<ReturnType<typeof readQuotaHeaders>>;
import { learning, loadLearning } from "./learning.js";
import { createTrack, type Track } from "./limit-track.js";
import { DEFAULT_TUNING, type TrackTuning } from "./track-tuning.js";
import type { QuotaModel, QuotaModelOptions } from "./quota-model.js";
import { guardedSharing } from "./sharing.js";
import type {
  Clock,
  IDisposable,
  KnownLimit,
  LearnedLimit,
  LimiterTicket,
  LimitSharing,
  PauseEvent,
  RateLimitAnswer,
  RateLimiter,
  RateLimitRequest,
  RateLimitVerdict,
  SharedLimitEvent,
} from "./types.js";

export interface RateLimiterConfig {
  adaptive: boolean;
  useHeaders: boolean;
  requestsPerSecond?: number | undefined;
  burst: number;
  /** A `Retry-After` above this is not imposed on other calls. */
  maxRetryAfterMs: number;
  /** Genesys's per-token default assumed until proven wrong (requests per 60 s); false for none. */
  assumeTokenLimit: number | false;
  /** Limits known up front. */
  limits: readonly KnownLimit[];
  /** Timeout of each `LimitSharing` call (ms). */
  sharingTimeoutMs: number;
  quota?: QuotaModelOptions;
  tuning?: Partial<TrackTuning>;
}

export interface RateLimiterDeps {
  clock?: Clock;
  sharing?: LimitSharing;
  /** Name of what this limiter guards (`"client"`, or a route group): the scope of its pauses. */
  scope?: string;
}

/** Before the first answer, one request at most goes: it may show quota headers before a burst overshoots them. */
const FIRST_ANSWER_WAIT_MS = 250;
/** A 429 that says nothing of when to retry (Genesys always does) counts as one second. */
const DEFAULT_RETRY_AFTER_MS = 1_000;
/** Longest single timer; a wait past it just re-checks (and setTimeout overflows past 2³¹ ms). */
const MAX_TIMER_MS = 60_000;
/** Where a limit must come from for the fleet-wide GCRA (`LimitSharing.take`) to pace by it. */
const FLEET_SOURCES = new Set<string>(["body", "header", "configured", "limits-api", "shared"]);
/** Keys that limit every call of a token or client, whatever its namespace. */
const TOKEN_WIDE = /^(token|client|org|oauth)\./;

export const systemClock: Clock = {
  now: () => performance.now(),
  epochNow: () => Date.now(),
  setTimeout(fn, ms) {
    const timer = setTimeout(fn, ms);
    // Never keeps a finished script alive: a wait matters only while a call waits, and a waiting call holds the
    // process by its own promise chain (its socket, its caller).
    (timer as { unref?: () => void }).unref?.();
    return timer;
  },
  clearTimeout: (handle) => clearTimeout(handle as ReturnType<typeof setTimeout>),
};

interface Waiter {
  request: RateLimitRequest;
  tracks: readonly Track[];
  latestAt: number;
  resolve(ticket: LimiterTicket): void;
  reject(reason: unknown): void;
  signal: AbortSignal;
  onAbort(): void;
}

let origins = 0;

export function createRateLimiter(config: RateLimiterConfig, deps: RateLimiterDeps = {}): RateLimiter {
  const { adaptive, useHeaders, requestsPerSecond, burst, maxRetryAfterMs } = config;
  const clock = deps.clock ?? systemClock;
  const scope = deps.scope ?? "client";
  const tuning = { ...DEFAULT_TUNING, ...config.tuning };
  const origin = `limiter-${++origins}-${Math.random().toString(36).slice(2, 8)}`;
  const sharing = deps.sharing ? guardedSharing(deps.sharing, clock, config.sharingTimeoutMs) : undefined;
  let quota: QuotaModel | undefined; // created with the first answer that carries the quota headers
  const token = createTrack(scope, { key: "token", namespace: undefined }, tuning);
  const namespaces = new Map<string, Track>();
  const groupNamespace = new Map<string, string>();
  const waiters: Waiter[] = [];
  const learnedListeners = new Set<(limit: LearnedLimit) => void>();
  const pauseListeners = new Set<(pause: PauseEvent) => void>();
  /** What each track's listeners last heard (a copy: a listener may change its event); they hear again when it changed. */
  const heard = new Map<Track, Learned>();
  let timer: unknown;
  let timerAt = Infinity;
  let seq = 0;
  let lastSendAt = -Infinity;
  let firstSendAt: number | undefined;
  let inFlight = 0;
  const unanswered = new Set<number>();
  let maxAnswered = 0;
  let answered = 0;
  let headerPause = -Infinity; // header mode: a 429 pauses everybody until its Retry-After
  let headerPauseSeq = 0;
  let fixedTokens = burst;
  let fixedAt = clock.now();
  // Answers that arrived while the learning was loading, in order; meanwhile nobody is let go.
  let deferred:
    | { ticket: LimiterTicket; answer: RateLimitAnswer | undefined; headers: QuotaHeaders | undefined; resolve(verdict: RateLimitVerdict): void }[]
    | undefined;

  const headerPaced = () => adaptive && useHeaders && quota?.known() === true;
  const toEpoch = (t: number) => clock.epochNow() + (t - clock.now());
  const fromEpoch = (epoch: number) => clock.now() + (epoch - clock.epochNow());

  function namespaceTrack(namespace: string): Track {
    let track = namespaces.get(namespace);
    if (!track) namespaces.set(namespace, (track = createTrack(`namespace:${namespace}`, { key: namespace, namespace }, tuning)));
    return track;
  }

  /** The track a named limit belongs to: the token's for token-wide keys, else its namespace's. */
  function trackFor(limit: NamedLimit, routeGroups: readonly string[] = []): Track {
    if (TOKEN_WIDE.test(limit.key) || !limit.namespace) return token;
    for (const group of routeGroups) groupNamespace.set(group, limit.namespace);
    return namespaceTrack(limit.namespace);
  }

  function adopt(limit: NamedLimit, source: "configured" | "body" | "shared" | "default", routeGroups?: readonly string[]): Track | undefined {
    const windowMs = keyWindowMs(limit.key);
    if (windowMs === undefined) return undefined;
    const track = trackFor(limit, routeGroups);
    track.adopt(limit, windowMs, source);
    return track;
  }

  if (adaptive && config.assumeTokenLimit !== false)
    adopt({ key: "token.rate.per.minute", namespace: "platform.api", value: config.assumeTokenLimit }, "default");
  if (adaptive) for (const { key, namespace, value, routeGroups } of config.limits) adopt({ key, namespace, value }, "configured", routeGroups);

  const tokenOnly: readonly Track[] = [token]; // shared: nothing changes a tracks array after it is made
  const tracksOf = (routeGroup: string): readonly Track[] => {
    const namespace = groupNamespace.get(routeGroup);
    const track = namespace === undefined ? undefined : namespaces.get(namespace);
    return track ? [token, track] : tokenOnly;
  };
  const allTracks = (): readonly Track[] => (namespaces.size === 0 ? tokenOnly : [token, ...namespaces.values()]);

  function nextSendAt(tracks: readonly Track[], now: number): number {
    let at = Math.max(now, headerPause);
    if (adaptive && useHeaders && answered === 0 && inFlight > 0) at = Math.max(at, (firstSendAt ?? now) + FIRST_ANSWER_WAIT_MS);
    if (requestsPerSecond) {
      fixedTokens = Math.min(burst, fixedTokens + ((now - fixedAt) * requestsPerSecond) / 1000);
      fixedAt = now;
      if (fixedTokens < 1) at = Math.max(at, now + ((1 - fixedTokens) / requestsPerSecond) * 1000);
    }
    if (!adaptive) return at;
    if (headerPaced()) at = Math.max(at, quota!.nextSendAt(at, seq, lastSendAt, inFlight));
    for (const track of tracks) if (track !== token || !headerPaced()) at = Math.max(at, track.nextAt(at));
    return at;
  }

  function budgetError(w: Waiter, at: number, now: number): RetryBudgetExceededError {
    const { method, path } = w.request;
    const until = new Date(toEpoch(at)).toISOString();
    const detail = `the rate limiter holds calls of this scope until ${until} (${Math.ceil((at - now) / 1000)} s), longer than this call may wait (${Math.round(w.request.maxWaitMs)} ms left of its retry budget or deadline)`;
    return new RetryBudgetExceededError("retry-budget", w.request.isRetry ? 1 : 0, detail, { method, path });
  }

  function pump(): void {
    if (deferred) return; // holding: the answers being learned from may change every pace
    const now = clock.now();
    let earliest = Infinity;
    // When the next request may go under each set of tracks, once one had to wait (made then: most pumps grant at once).
    let blocked: Map<string, number> | undefined;
    const keyOf = (tracks: readonly Track[]) => (tracks.length === 1 ? tracks[0].scope : tracks.map((t) => t.scope).join("|"));
    for (let i = 0; i < waiters.length; ) {
      const w = waiters[i];
      w.tracks = tracksOf(w.request.routeGroup); // a 429 may have named this route group's namespace meanwhile
      const key = blocked ? keyOf(w.tracks) : undefined;
      const at = (key !== undefined ? blocked?.get(key) : undefined) ?? nextSendAt(w.tracks, now);
      if (at > now) {
        if (at > w.latestAt) {
          waiters.splice(i, 1);
          w.signal.removeEventListener("abort", w.onAbort);
          w.reject(budgetError(w, at, now));
          continue;
        }
        (blocked ??= new Map()).set(key ?? keyOf(w.tracks), at);
        earliest = Math.min(earliest, at);
        i++;
        continue;
      }
      waiters.splice(i, 1);
      blocked = undefined; // every grant moves the shared paces on
      grant(w, now);
    }
    if (earliest < Infinity) schedule(earliest);
    else if (timer !== undefined && waiters.length === 0) {
      clock.clearTimeout(timer);
      timer = undefined;
      timerAt = Infinity;
    }
  }

  function grant(w: Waiter, now: number): void {
    w.signal.removeEventListener("abort", w.onAbort);
    seq++;
    lastSendAt = now;
    firstSendAt ??= now;
    if (requestsPerSecond) fixedTokens -= 1;
    for (const track of w.tracks) track.sent(seq, now);
    inFlight++;
    unanswered.add(seq);
    const ticket: LimiterTicket = { seq, sentAt: now, routeGroup: w.request.routeGroup };
    const fleetRate = sharing ? token.info(now) : undefined;
    // Only a limit the server or the user stated is the fleet's: an assumed default is not proven, and a pace
    // learned from this process's own answers is its share, not the fleet's rate.
    if (!sharing || !fleetRate?.ratePerSecond || fleetRate.kind === "unknown" || !FLEET_SOURCES.has(fleetRate.source)) return w.resolve(ticket);
    // The fleet's share: wait what the shared GCRA says (a failed or slow sharing call counts as no wait).
    const fleetBurst = fleetRate.countPerWindow ?? Math.max(1, Math.round(fleetRate.ratePerSecond / 10));
    void sharing.take(`${fleetRate.namespace ?? ""}/${fleetRate.key}`, fleetRate.ratePerSecond, fleetBurst).then((waitMs) => {
      if (waitMs <= 0 || w.signal.aborted) return w.resolve(ticket);
      clock.setTimeout(() => w.resolve({ ...ticket, sentAt: clock.now() }), Math.min(waitMs, w.request.maxWaitMs));
    });
  }

  function schedule(at: number): void {
    if (timer !== undefined && timerAt <= at) return;
    if (timer !== undefined) clock.clearTimeout(timer);
    timerAt = at;
    timer = clock.setTimeout(
      () => {
        timer = undefined;
        timerAt = Infinity;
        pump();
      },
      Math.min(MAX_TIMER_MS, Math.max(0, Math.ceil(at - clock.now()))),
    );
  }

  function notify(tracks: Iterable<Track>, now: number): void {
    for (const track of tracks) {
      const info = track.info(now);
      const last = heard.get(track);
      if (last && sameLearned(last, info)) continue;
      const { key, namespace, kind, countPerWindow, windowMs, source } = info;
      heard.set(track, { key, namespace, kind, countPerWindow, windowMs, source });
      for (const l of learnedListeners) l(info);
      if (info.source !== "shared" && info.source !== "default") void sharing?.publish({ type: "limit", limit: info }, origin);
    }
  }

  function paused(scopeName: string, until: number, reason: PauseEvent["reason"], now: number, share = true): void {
    const event: PauseEvent = { scope: scopeName, pausedMs: Math.max(0, until - now), until: toEpoch(until), reason };
    for (const l of pauseListeners) l(event);
    if (share) void sharing?.publish({ type: "pause", scope: scopeName, until: event.until }, origin);
  }

  sharing?.subscribe(origin, (event: SharedLimitEvent) => {
    const now = clock.now();
    if (event.type === "pause") {
      const track = event.scope === scope ? token : event.scope.startsWith("namespace:") ? namespaceTrack(event.scope.slice(10)) : undefined;
      const until = fromEpoch(event.until);
      if (!track || until <= now || until - now > maxRetryAfterMs) return;
      track.pause(until);
      paused(event.scope, until, "shared", now, false);
    } else if (event.limit.kind === "window" && event.limit.countPerWindow && event.limit.windowMs && FLEET_SOURCES.has(event.limit.source)) {
      // (A count another process only learned from its own answers is its share of the limit, not the limit.)
      const track = trackFor({ key: event.limit.key, namespace: event.limit.namespace, value: event.limit.countPerWindow });
      track.adopt({ key: event.limit.key, namespace: event.limit.namespace, value: event.limit.countPerWindow }, event.limit.windowMs, "shared");
      notify([track], now);
    }
    pump();
  });

  return {
    acquire(request, signal) {
      if (signal.aborted) return Promise.reject(signal.reason);
      return new Promise<LimiterTicket>((resolve, reject) => {
        const now = clock.now();
        const waiter: Waiter = {
          request,
          tracks: tracksOf(request.routeGroup),
          latestAt: now + Math.max(0, request.maxWaitMs),
          resolve,
          reject,
          signal,
          onAbort: () => {
            const i = waiters.indexOf(waiter);
            if (i >= 0) waiters.splice(i, 1);
            reject(signal.reason);
            if (waiters.length === 0) pump(); // clears the timer
          },
        };
        // Retries go ahead of first attempts: calls under way finish first.
        const at = request.isRetry ? waiters.findIndex((w) => !w.request.isRetry) : -1;
        if (at >= 0) waiters.splice(at, 0, waiter);
        else waiters.push(waiter);
        pump();
        // Only a call that still waits needs to hear of an abort (nothing ran since `signal.aborted` was read).
        if (waiters[waiters.length - 1] === waiter || waiters.includes(waiter)) signal.addEventListener("abort", waiter.onAbort, { once: true });
      });
    },

    complete(ticket, answer) {
      // Read once per answer: they decide whether the learning is needed, and feed the quota model.
      const headers = answer && adaptive && useHeaders ? readQuotaHeaders(answer.headers) : undefined;
      if (deferred || (!learning() && answer && needsLearning(answer, headers))) return defer(ticket, answer, headers);
      return settle(ticket, answer, headers);
    },

    snapshot() {
      const now = clock.now();
      const all = [token, ...namespaces.values()];
      const rates = [requestsPerSecond, headerPaced() ? quota!.pace() : undefined, ...(headerPaced() ? [] : all.map((t) => t.rate(now)))];
      const known = rates.filter((r): r is number => r !== undefined && Number.isFinite(r));
      const pause = Math.max(headerPause, ...all.map((t) => t.pausedUntil()));
      return {
        pace: known.length ? Math.min(...known) : undefined,
        pausedUntil: pause > now ? toEpoch(pause) : undefined,
        queued: waiters.length,
        limits: all.map((t) => t.info(now)).filter((l) => l.kind !== "unknown" || l.source !== "learned" || l.ratePerSecond !== undefined),
      };
    },
    onLearned: (listener) => disposable(learnedListeners, listener),
    onPause: (listener) => disposable(pauseListeners, listener),
  };

  function settle(ticket: LimiterTicket, answer: RateLimitAnswer | undefined, headers: QuotaHeaders | undefined): RateLimitVerdict {
    inFlight--;
    unanswered.delete(ticket.seq);
    answered++;
    const now = clock.now();
    const tracks = tracksOf(ticket.routeGroup);
    let verdict: RateLimitVerdict;
    if (answer && adaptive) {
      const limited = answer.status === 429;
      if (headers) {
        let inOrder = true;
        for (const s of unanswered) if (s < ticket.seq) inOrder = false;
        quota ??= learning()!.createQuotaModel(config.quota);
        quota.observe(
          { seq: ticket.seq, sentAt: ticket.sentAt, at: now, inOrder, newest: ticket.seq > maxAnswered, others: unanswered.size, ...headers },
          limited,
        );
      }
      if (limited) verdict = limitedAnswer(ticket, answer.headers, answer.body, tracks, now);
      else if (answer.status < 500) for (const track of tracks) track.answered(ticket.seq, ticket.sentAt, now, { ok: true }, seq);
    }
    const all = allTracks();
    for (const track of all) track.settled(ticket.seq);
    maxAnswered = Math.max(maxAnswered, ticket.seq);
    notify(all, now);
    pump();
    return verdict;
  }

  /** Whether this answer (with its quota headers, read when `useHeaders`) teaches something the learning code handles. */
  function needsLearning(answer: RateLimitAnswer, headers: QuotaHeaders | undefined): boolean {
    return adaptive && (answer.status === 429 || headers !== undefined);
  }

  /** Holds `answer` (and every later one, in order) until the learning is loaded; a failed load learns nothing from them. */
  function defer(ticket: LimiterTicket, answer: RateLimitAnswer | undefined, headers: QuotaHeaders | undefined): Promise<RateLimitVerdict> {
    return new Promise((resolve) => {
      if (deferred) return void deferred.push({ ticket, answer, headers, resolve });
      deferred = [{ ticket, answer, headers, resolve }];
      const drain = (failed: boolean) => {
        const held = deferred ?? [];
        deferred = undefined;
        for (const d of held) {
          const unlearned = failed && d.answer !== undefined && needsLearning(d.answer, d.headers);
          d.resolve(unlearned ? settle(d.ticket, undefined, undefined) : settle(d.ticket, d.answer, d.headers));
        }
      };
      loadLearning().then(
        () => drain(false),
        () => drain(true),
      );
    });
  }

  function limitedAnswer(ticket: LimiterTicket, headers: Headers, body: unknown, tracks: readonly Track[], now: number): RateLimitVerdict {
    const waitMs = retryAfterMs(headers, body) ?? DEFAULT_RETRY_AFTER_MS;
    const named = bodyLimit(body);
    if (headerPaced()) {
      // Header mode, as tuned with the quota headers: everybody waits out the Retry-After (echoes do not extend it).
      if (ticket.seq > headerPauseSeq && waitMs <= maxRetryAfterMs && now + waitMs > headerPause) {
        headerPause = now + waitMs;
        headerPauseSeq = seq;
        quota!.pausedUntil(headerPause);
        paused(scope, headerPause, "retry-after", now);
      }
      return { pausedMs: Math.max(0, headerPause - now), scope };
    }
    let track = tracks[0];
    if (named) {
      const namespaced = !TOKEN_WIDE.test(named.key) && named.namespace !== undefined;
      if (namespaced) groupNamespace.set(ticket.routeGroup, named.namespace!);
      track =
        waitMs > maxRetryAfterMs ? trackFor(named, [ticket.routeGroup]) : (adopt(named, "body", [ticket.routeGroup]) ?? trackFor(named, [ticket.routeGroup]));
    }
    if (waitMs > maxRetryAfterMs) {
      // An hourly or daily cap: never imposed on the whole client. A named namespace waits (calls that may not wait
      // that long are refused at once); anything else goes on, and each call that meets the cap ends by itself.
      if (track === token) return { pausedMs: 0, scope };
      track.pause(now + waitMs);
      paused(track.scope, now + waitMs, "retry-after", now);
      return { pausedMs: waitMs, scope: track.scope };
    }
    const before = track.pausedUntil();
    const until = track.answered(ticket.seq, ticket.sentAt, now, { ok: false, retryAfterMs: waitMs, limit: named }, seq);
    // A window learned from this limiter's own answers is its share, not the fleet's: its end is not shared (the
    // others' traffic made it, and they would all stop and resume together).
    if (until !== undefined && until > before && until > now) paused(track.scope, until, "window", now, FLEET_SOURCES.has(track.info(now).source));
    return { pausedMs: Math.max(0, track.pausedUntil() - now), scope: track.scope };
  }
}

/** What a learned limit says, its pace aside (the pace moves all the time; these change when something was learned). */
type Learned = Pick<LearnedLimit, "key" | "namespace" | "kind" | "countPerWindow" | "windowMs" | "source">;

const sameNumber = (a: number | undefined, b: number | undefined) => a === b || (Number.isNaN(a) && Number.isNaN(b));

function sameLearned(a: Learned, b: Learned): boolean {
  return (
    a.key === b.key &&
    a.namespace === b.namespace &&
    a.kind === b.kind &&
    a.source === b.source &&
    sameNumber(a.countPerWindow, b.countPerWindow) &&
    sameNumber(a.windowMs, b.windowMs)
  );
}

function disposable<T>(set: Set<T>, item: T): IDisposable {
  set.add(item);
  return { dispose: () => void set.delete(item) };
}
