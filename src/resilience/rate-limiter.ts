// The client-side rate limiter every attempt of a client (or of a route group) passes through. It decides *when*
// the next request may go, from four things:
//  - a pause: after a 429 nobody sharing the limit sends until its `Retry-After` has passed — not just the caller
//    that got it (the others would only collect 429s of their own);
//  - the server's quota as `inin-ratelimit-*` headers describe it (quota-model.ts), to pace before any 429;
//  - without those headers, a pace learned from 429s (pace-learner.ts: slow start, then an estimate of the true
//    rate from the successes' send times and a slow probe above it), so that calls resume one by one, not all at once;
//  - an optional fixed cap (`requestsPerSecond`).
// No well-kept library fits here: bottleneck and p-limit/p-throttle pace at a rate given up front and know nothing
// of Retry-After or quota headers; the AWS SDK's adaptive (CUBIC) limiter in @smithy/util-retry ignores Retry-After
// and is tied to AWS error classes; cockatiel has no rate limiter. So it is ours, small, and tested.
import { retryAfterMs } from "./backoff.js";
import { createPaceLearner } from "./pace-learner.js";
import { createQuotaModel, readQuotaHeaders, type QuotaModelOptions } from "./quota-model.js";

export interface RateLimiterConfig {
  adaptive: boolean;
  useHeaders: boolean;
  requestsPerSecond?: number | undefined;
  burst: number;
  quota?: QuotaModelOptions;
}

export interface Clock {
  /** Monotonic ms. */
  now(): number;
}

/** Proof that an attempt was let through; hand it back to `complete`. */
export interface LimiterTicket {
  readonly seq: number;
  readonly sentAt: number;
}

export interface RateLimiter {
  /** Waits until a request may go (rejects with `signal.reason` when the signal fires first). */
  acquire(signal: AbortSignal): Promise<LimiterTicket>;
  /** The attempt ended with `response` (undefined for errors). For a 429, returns the pause it started or joined, in ms. */
  complete(ticket: LimiterTicket, response: Response | undefined): { pausedMs: number } | undefined;
  /** Requests per second currently allowed (undefined when unpaced). */
  pace(): number | undefined;
  /** Epoch ms at which a 429 pause ends, undefined when not paused. */
  pausedUntil(): number | undefined;
  waiting(): number;
}

/** Before the first answer, one request at a most goes: it shows the quota headers before a burst can overshoot them. */
const FIRST_ANSWER_WAIT_MS = 250;
/** A 429 without `Retry-After` (Genesys always sends one) pauses for the least it would say. */
const DEFAULT_PAUSE_MS = 1_000;
/** How far behind its schedule the learned pace may send, to make up for late timers. */
const MAX_PACE_LAG_MS = 4;
/** Longest single timer; a wait past it just re-checks (and setTimeout overflows past 2³¹ ms). */
const MAX_TIMER_MS = 60_000;

const performanceClock: Clock = { now: () => performance.now() };

interface Waiter {
  resolve(ticket: LimiterTicket): void;
  reject(reason: unknown): void;
  signal: AbortSignal;
  onAbort(): void;
}

export function createRateLimiter(config: RateLimiterConfig, clock: Clock = performanceClock): RateLimiter {
  const { adaptive, useHeaders, requestsPerSecond, burst } = config;
  const quota = createQuotaModel(config.quota);
  const waiters: Waiter[] = [];
  let timer: ReturnType<typeof setTimeout> | undefined;
  let timerAt = Infinity;
  let seq = 0;
  let lastSendAt = -Infinity;
  let firstSendAt: number | undefined;
  let inFlight = 0;
  const unanswered = new Set<number>();
  let maxAnswered = 0;
  let answered = 0;
  let paused = -Infinity;
  let pauseSeq = 0; // requests numbered up to here were sent before the current pause: their 429s are echoes
  let fixedTokens = burst;
  let fixedAt = clock.now();
  const learner = createPaceLearner(); // the pace without headers
  // When the learned pace let the last request go, on its own schedule: a timer that fires late (≥ 1 ms, often
  // more) would otherwise slow every step (5 ms steps at 200/s become 6 ms: 166/s). Late steps catch up a little.
  let paceSlot = -Infinity;

  const headerPaced = () => adaptive && useHeaders && quota.known();

  function nextSendAt(now: number): number {
    let at = Math.max(now, paused);
    if (adaptive && useHeaders && answered === 0 && inFlight > 0) at = Math.max(at, (firstSendAt ?? now) + FIRST_ANSWER_WAIT_MS);
    if (requestsPerSecond) {
      fixedTokens = Math.min(burst, fixedTokens + ((now - fixedAt) * requestsPerSecond) / 1000);
      fixedAt = now;
      if (fixedTokens < 1) at = Math.max(at, now + ((1 - fixedTokens) / requestsPerSecond) * 1000);
    }
    if (headerPaced()) at = Math.max(at, quota.nextSendAt(at, seq, lastSendAt, inFlight));
    else if (adaptive && learner.phase() !== "unpaced") at = Math.max(at, paceSlot + 1000 / learner.rate(at)!);
    return at;
  }

  function pump(): void {
    while (waiters.length > 0) {
      const now = clock.now();
      const at = nextSendAt(now);
      if (at > now) return schedule(at);
      const waiter = waiters.shift()!;
      waiter.signal.removeEventListener("abort", waiter.onAbort);
      seq++;
      lastSendAt = now;
      firstSendAt ??= now;
      learner.sent(now);
      paceSlot = Math.max(paceSlot + 1000 / (learner.rate(now) ?? Infinity), now - MAX_PACE_LAG_MS);
      if (requestsPerSecond) fixedTokens -= 1;
      inFlight++;
      unanswered.add(seq);
      waiter.resolve({ seq, sentAt: now });
    }
  }

  function schedule(at: number): void {
    if (timer !== undefined && timerAt <= at) return;
    if (timer !== undefined) clearTimeout(timer);
    timerAt = at;
    timer = setTimeout(() => {
      timer = undefined;
      timerAt = Infinity;
      pump();
    }, Math.min(MAX_TIMER_MS, Math.max(0, Math.ceil(at - clock.now()))));
  }

  return {
    acquire(signal) {
      if (signal.aborted) return Promise.reject(signal.reason);
      return new Promise<LimiterTicket>((resolve, reject) => {
        const waiter: Waiter = {
          resolve,
          reject,
          signal,
          onAbort: () => {
            const i = waiters.indexOf(waiter);
            if (i >= 0) waiters.splice(i, 1);
            reject(signal.reason);
          },
        };
        signal.addEventListener("abort", waiter.onAbort, { once: true });
        waiters.push(waiter);
        pump();
      });
    },

    complete(ticket, response) {
      inFlight--;
      unanswered.delete(ticket.seq);
      answered++;
      const now = clock.now();
      let result: { pausedMs: number } | undefined;
      if (response) {
        const limited = response.status === 429;
        const headers = useHeaders ? readQuotaHeaders(response.headers) : undefined;
        if (headers && adaptive) {
          let inOrder = true;
          for (const s of unanswered) if (s < ticket.seq) inOrder = false;
          const newest = ticket.seq > maxAnswered;
          quota.observe({ seq: ticket.seq, sentAt: ticket.sentAt, at: now, inOrder, newest, others: unanswered.size, ...headers }, limited);
        }
        if (limited && adaptive) {
          const pauseMs = retryAfterMs(response.headers) ?? DEFAULT_PAUSE_MS;
          // Sent before the current pause began: the same news again, not a reason to learn or pause longer.
          const echo = ticket.seq <= pauseSeq;
          if (!echo && !headerPaced()) learner.limited(ticket.sentAt, now, pauseMs);
          if (!echo && now + pauseMs > paused) {
            paused = now + pauseMs;
            quota.pausedUntil(paused);
            pauseSeq = seq;
          }
          result = { pausedMs: Math.max(0, paused - now) };
        } else if (!limited && response.status < 500) {
          learner.succeeded(ticket.sentAt);
        }
      }
      maxAnswered = Math.max(maxAnswered, ticket.seq);
      pump();
      return result;
    },

    pace() {
      const now = clock.now();
      const rates = [requestsPerSecond, headerPaced() ? quota.pace() : adaptive ? learner.rate(now) : undefined];
      const known = rates.filter((r): r is number => r !== undefined && Number.isFinite(r));
      return known.length ? Math.min(...known) : undefined;
    },
    pausedUntil() {
      const now = clock.now();
      return paused > now ? Date.now() + (paused - now) : undefined;
    },
    waiting: () => waiters.length,
  };
}
