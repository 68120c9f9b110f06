// The quota model against simulated servers in simulated time (no timers, no network): a token bucket and a fixed
// window that answer with inin-ratelimit-* headers like the simulator, with random latency that reorders answers.
import { describe, expect, it } from "vitest";
import { createQuotaModel, type QuotaModel } from "../../src/resilience/rate-limit/quota-model.js";
import { readQuotaHeaders } from "../../src/resilience/retry-after.js";

interface Decision {
  ok: boolean;
  /** `inin-ratelimit-allowed`. */
  limit: number;
  count: number;
  resetMs: number;
  retryAfterMs: number;
}
type Server = (t: number) => Decision;

/** Whole seconds rounded up, never 0, in ms (as Genesys and the simulator). */
const whole = (ms: number) => Math.max(1, Math.ceil(ms / 1000 - 1e-9)) * 1000;

function tokenBucket(capacity: number, perSecond: number): Server {
  let tokens = capacity;
  let at = 0;
  return (t) => {
    tokens = Math.min(capacity, tokens + ((t - at) / 1000) * perSecond);
    at = t;
    const ok = tokens >= 1;
    if (ok) tokens -= 1;
    const count = Math.min(capacity, Math.ceil(capacity - tokens - 1e-9));
    return { ok, limit: capacity, count, resetMs: whole(((capacity - tokens) / perSecond) * 1000), retryAfterMs: whole(((1 - tokens) / perSecond) * 1000) };
  };
}

function fixedWindow(limit: number, windowMs: number): Server {
  let start = -Infinity;
  let count = 0;
  return (t) => {
    if (t >= start + windowMs) [start, count] = [t, 0];
    const reset = whole(start + windowMs - t);
    if (count >= limit) return { ok: false, limit, count, resetMs: reset, retryAfterMs: reset };
    count++;
    return { ok: true, limit, count, resetMs: reset, retryAfterMs: 0 };
  };
}

/** A seeded generator (mulberry32), so every run sees the same latencies. */
function random(seed: number): () => number {
  return () => {
    seed = (seed + 0x6d2b79f5) | 0;
    let x = Math.imul(seed ^ (seed >>> 15), 1 | seed);
    x = (x + Math.imul(x ^ (x >>> 7), 61 | x)) ^ x;
    return ((x ^ (x >>> 14)) >>> 0) / 4294967296;
  };
}

/**
 * Runs `durationMs` of simulated time with unlimited demand: whenever the model allows, a request goes; it reaches
 * the server after a random one-way latency and its answer comes back after another. A 429 pauses everything until
 * its Retry-After (as the limiter does). Returns arrival times and outcomes as the server saw them.
 */
function simulate(server: Server, model: QuotaModel, durationMs: number, latency: () => number, stepMs = 0.25) {
  type Event = { at: number; kind: "arrive" | "answer"; seq: number; sentAt: number; decision?: Decision };
  const events: Event[] = [];
  const unanswered = new Set<number>();
  const arrivals: { t: number; ok: boolean }[] = [];
  let seq = 0;
  let maxAnswered = 0;
  let lastSendAt = -Infinity;
  let pausedUntil = -Infinity;
  for (let now = 0; now < durationMs; now += stepMs) {
    events.sort((a, b) => a.at - b.at);
    while (events.length && events[0].at <= now) {
      const e = events.shift()!;
      if (e.kind === "arrive") {
        const decision = server(e.at);
        arrivals.push({ t: e.at, ok: decision.ok });
        events.push({ ...e, kind: "answer", at: e.at + latency(), decision });
      } else {
        unanswered.delete(e.seq);
        const d = e.decision!;
        const inOrder = [...unanswered].every((s) => s > e.seq);
        const newest = e.seq > maxAnswered;
        maxAnswered = Math.max(maxAnswered, e.seq);
        model.observe(
          { seq: e.seq, sentAt: e.sentAt, at: e.at, inOrder, newest, others: unanswered.size, allowed: d.limit, count: d.count, resetMs: d.resetMs },
          !d.ok,
        );
        if (!d.ok && e.at + d.retryAfterMs > pausedUntil) {
          pausedUntil = e.at + d.retryAfterMs;
          model.pausedUntil(pausedUntil);
        }
      }
    }
    // At most 64 requests in flight (the bulkhead's job in the pipeline), one until the first answer (the limiter's).
    const cap = model.known() ? 64 : 1;
    while (now >= pausedUntil && unanswered.size < cap && model.nextSendAt(now, seq, lastSendAt, unanswered.size) <= now) {
      seq++;
      lastSendAt = now;
      unanswered.add(seq);
      events.push({ at: now + latency(), kind: "arrive", seq, sentAt: now });
    }
  }
  return arrivals;
}

/** Most arrivals in any `slotMs` slot from `fromMs` on. */
function peak(arrivals: { t: number }[], fromMs: number, slotMs = 10): number {
  const slots = new Map<number, number>();
  for (const a of arrivals) if (a.t >= fromMs) slots.set(Math.floor(a.t / slotMs), (slots.get(Math.floor(a.t / slotMs)) ?? 0) + 1);
  return Math.max(0, ...slots.values());
}

describe("quota model", () => {
  it("paces a token bucket (200/s, burst 20) at its refill rate without 429s, answers reordered", () => {
    const server = tokenBucket(20, 200);
    const model = createQuotaModel();
    const arrivals = simulate(
      server,
      model,
      5_000,
      (
        (r) => () =>
          0.3 + r() * 3
      )(random(1)),
    );
    const refused = arrivals.filter((a) => !a.ok).length;
    const granted = arrivals.length - refused;
    expect(model.mode()).toBe("bucket");
    expect(model.pace()).toBeGreaterThan(180);
    expect(model.pace()).toBeLessThan(220);
    expect(refused).toBeLessThanOrEqual(2);
    // The limit allows 20 + 200 × 5 = 1,020 in 5 s.
    expect(granted).toBeGreaterThan(0.9 * 1_020);
  });

  it("spreads a fixed window (50 per 1 s) evenly once it knows it: no herd, few 429s, the quota used", () => {
    const server = fixedWindow(50, 1_000);
    const model = createQuotaModel();
    const arrivals = simulate(
      server,
      model,
      8_000,
      (
        (r) => () =>
          0.3 + r() * 3
      )(random(2)),
    );
    const refused = arrivals.filter((a) => !a.ok).length;
    const granted = arrivals.length - refused;
    expect(model.mode()).toBe("window");
    expect(model.pace()).toBeCloseTo(50, 0);
    expect(refused).toBeLessThanOrEqual(3);
    // 8 windows of 50 at most; the first one or two are spent learning the model.
    expect(granted).toBeGreaterThan(6 * 50);
    // After learning, requests are spread: at most a few in any 10 ms (a burst of 50 would show as 50).
    expect(peak(arrivals, 3_000)).toBeLessThanOrEqual(3);
  });

  it("never lets more go than the server says is left while answers are outstanding", () => {
    const model = createQuotaModel();
    model.observe({ seq: 1, sentAt: 0, at: 1, inOrder: true, newest: true, others: 0, allowed: 10, count: 4, resetMs: 1_000 }, false);
    // 6 left at the server, margin 1: 5 may go while none is in flight, none while 5 are.
    expect(model.nextSendAt(2, 1, 0, 0)).toBe(2);
    expect(model.nextSendAt(2, 5, 2, 4)).toBe(2);
    expect(model.nextSendAt(2, 6, 2, 5)).toBeGreaterThan(2);
  });

  it("reads the headers, and ignores answers without them", () => {
    expect(readQuotaHeaders(new Headers({ "inin-ratelimit-allowed": "300", "inin-ratelimit-count": "12", "inin-ratelimit-reset": "41" }))).toEqual({
      allowed: 300,
      count: 12,
      resetMs: 41_000,
    });
    expect(readQuotaHeaders(new Headers({ "inin-ratelimit-allowed": "300" }))).toBeUndefined();
    expect(readQuotaHeaders(new Headers({ "inin-ratelimit-allowed": "x", "inin-ratelimit-count": "1", "inin-ratelimit-reset": "1" }))).toBeUndefined();
    expect(readQuotaHeaders(new Headers())).toBeUndefined();
  });
});
