// A token bucket's rate as the limiter learns it without headers, in simulated time: the estimate between two 429s
// (bucket-rate.ts) against a modelled bucket, and the limiter's pace converging on the bucket's rate.
import { describe, expect, it } from "vitest";
import { createAnswerLog } from "../../src/resilience/rate-limit/answer-log.js";
import { estimateBucketRate } from "../../src/resilience/rate-limit/bucket-rate.js";
import { serverModel, simLimiter, simulate, type ServerModel } from "../support/limiter-sim.js";

const OPTIONS = { minSpanMs: 250, spillTokens: 6, observedMs: 1000 };

/** Sends at `perSecond` from `from` for `ms` (or until the first 429) into a bucket; every answer goes to the log. */
function drive(
  server: ServerModel,
  log: ReturnType<typeof createAnswerLog>,
  from: number,
  ms: number,
  perSecond: number,
  untilLimited = false,
): number | undefined {
  let last429: number | undefined;
  for (let t = from; t < from + ms; t += 1000 / perSecond) {
    const ok = server.take(t).status === 200;
    log.add(t, ok, t + 2);
    if (!ok) last429 = t;
    if (!ok && untilLimited) return t;
  }
  return last429;
}

describe("a bucket's rate between two 429s", () => {
  it("is measured to within a token over the span while the sends stay above the rate", () => {
    const server = serverModel({ model: "token-bucket", capacity: 20, refillPerSecond: 200 });
    const log = createAnswerLog(10_000);
    const last = drive(server, log, 0, 1_000, 260)!;
    const estimate = estimateBucketRate(log.entries, last, 2, OPTIONS)!;
    expect(estimate.exact).toBe(true);
    expect(estimate.spanMs).toBeGreaterThan(600); // from the first 429 (~0.33 s: 20 tokens gone at 60/s net) to the last
    expect(Math.abs(estimate.rate - 200)).toBeLessThanOrEqual(1000 / estimate.spanMs + 0.5);
    expect(estimate.upper).toBeGreaterThanOrEqual(199);
  });

  it("is only a lower bound when the bucket may have filled up between the two (sends slowed, then burst)", () => {
    const server = serverModel({ model: "token-bucket", capacity: 20, refillPerSecond: 200 });
    const log = createAnswerLog(10_000);
    const first = drive(server, log, 0, 200, 1_000, true)!;
    drive(server, log, first + 1, 500, 100); // the bucket refills to its capacity and spills
    const second = drive(server, log, first + 501, 300, 1_000, true)!;
    const estimate = estimateBucketRate(log.entries, second, 2, OPTIONS)!;
    expect(estimate.exact).toBe(false);
    expect(estimate.rate).toBeLessThanOrEqual(200);
    expect(estimate.upper).toBe(Infinity); // no pair without a spill
  });

  it("is not taken over a change of rate: the newer pair counts", () => {
    const fast = serverModel({ model: "token-bucket", capacity: 20, refillPerSecond: 200 });
    const slow = serverModel({ model: "token-bucket", capacity: 20, refillPerSecond: 100 });
    const log = createAnswerLog(10_000);
    drive(fast, log, 0, 1_000, 260);
    for (let t = 0; t < 1_000; t += 5) slow.take(t); // empty it first: it takes over from the fast one at 1 s
    const last = drive(slow, log, 1_000, 1_000, 130)!;
    const estimate = estimateBucketRate(log.entries, last, 2, OPTIONS)!;
    expect(estimate.exact).toBe(true);
    // Not the ~150 of a pair across the change; a pair may stray from one pace by `spillTokens` over its span.
    expect(Math.abs(estimate.rate - 100)).toBeLessThanOrEqual(((OPTIONS.spillTokens + 1) / estimate.spanMs) * 1000);
  });
});

describe("the limiter's pace against a token bucket, no headers (simulated time)", () => {
  const cases = [
    // The opening wave (the bulkhead's 32 at once) against a burst of 5 is most of this one's 429s.
    { rate: 50, capacity: 5, latencyMs: 0.5, jitterMs: 0.3, max429: 0.15 },
    { rate: 200, capacity: 20, latencyMs: 0.5, jitterMs: 0.3 },
    // Slow, uneven answers (as HTTP on a loaded machine): the opening's successes over-state the capacity by what
    // refilled meanwhile, which a capacity-based estimate turned into ~0.7 of the rate (1.34 × the floor).
    { rate: 200, capacity: 20, latencyMs: 5, jitterMs: 10 },
    { rate: 1000, capacity: 100, latencyMs: 0.5, jitterMs: 0.3 },
  ];
  for (const { rate, capacity, latencyMs, jitterMs, max429 = 0.05 } of cases) {
    it(`${rate}/s, burst ${capacity}, ${latencyMs} ms ± ${jitterMs} one way: learns the rate to within 3 %, near the floor, few 429s`, async () => {
      for (const seed of [1, 2, 3]) {
        const { clock, limiter } = simLimiter();
        const n = rate * 5;
        const r = await simulate(clock, limiter, serverModel({ model: "token-bucket", capacity, refillPerSecond: rate }), {
          n,
          concurrency: 200,
          latencyMs,
          jitterMs,
          seed,
        });
        expect(r.failed).toBe(0);
        expect(limiter.snapshot().limits[0]).toMatchObject({ kind: "bucket", source: "learned" });
        expect(Math.abs(limiter.snapshot().pace! / rate - 1)).toBeLessThanOrEqual(0.03);
        expect(r.totalMs).toBeLessThanOrEqual(1.1 * ((n - capacity) / rate) * 1000);
        expect(r.r429 / r.attempts).toBeLessThanOrEqual(max429);
      }
    });
  }

  it("follows the rate down when it drops (another user of the token), within a second", async () => {
    const { clock, limiter } = simLimiter();
    const before = serverModel({ model: "token-bucket", capacity: 20, refillPerSecond: 200 });
    const after = serverModel({ model: "token-bucket", capacity: 20, refillPerSecond: 100 });
    const server: ServerModel = { take: (t) => (t < 3_000 ? before.take(t) : after.take(t)) };
    const paces: number[] = [];
    for (let s = 1; s <= 12; s++) clock.setTimeout(() => void paces.push(limiter.snapshot().pace!), s * 500);
    const r = await simulate(clock, limiter, server, { n: 1_500, concurrency: 200, latencyMs: 2, jitterMs: 4 });
    expect(r.failed).toBe(0);
    expect(paces[4] / 200).toBeGreaterThan(0.97); // 2.5 s: at the first rate
    for (const pace of paces.slice(7)) expect(Math.abs(pace / 100 - 1)).toBeLessThanOrEqual(0.05); // from 4 s on
  });
});

describe("the answer log", () => {
  it("keeps only the last `quietMs` while it holds no 429, and the whole history from a 429 on", () => {
    const log = createAnswerLog(10_000, 2_000);
    for (let t = 0; t < 30_000; t += 1) log.add(t, true, t + 1); // 1,000 successes a second, no 429
    expect(log.entries[0]!.at).toBeGreaterThanOrEqual(30_000 - 3_000); // ≤ 1.5 × quietMs kept: ~3,000, not 30,000
    log.add(30_000, false, 30_001);
    for (let t = 30_001; t < 40_000; t += 1) log.add(t, true, t + 1);
    expect(log.entries[0]!.at).toBeLessThanOrEqual(30_000 - 1_000); // the 429 keeps history since before it
    expect(log.entries.filter((e) => !e.ok)).toHaveLength(1);
    for (let t = 40_000; t < 60_000; t += 1) log.add(t, true, t + 1); // the 429 ages out: quiet again
    expect(log.entries.some((e) => !e.ok)).toBe(false);
    expect(log.entries[0]!.at).toBeGreaterThanOrEqual(60_000 - 3_000);
  });
});
