// The pace learned from 429s alone (no quota headers), in simulated time: a tiny server model (token bucket or fixed
// window, Retry-After in whole seconds rounded up) answers at once, and the learner alone decides when to send.
import { describe, expect, it } from "vitest";
import { createPaceLearner, type PaceLearner } from "../../src/resilience/pace-learner.js";

interface Server {
  /** true = 2xx; a number = 429 with that Retry-After in seconds. */
  take(now: number): true | number;
}

function tokenBucket(capacity: number, perSecond: number): Server {
  let tokens = capacity;
  let at = 0;
  return {
    take(now) {
      tokens = Math.min(capacity, tokens + ((now - at) * perSecond) / 1000);
      at = now;
      if (tokens < 1) return Math.max(1, Math.ceil((1 - tokens) / perSecond));
      tokens -= 1;
      return true;
    },
  };
}

function fixedWindow(limit: number, windowMs: number): Server {
  let start = -Infinity;
  let count = 0;
  return {
    take(now) {
      if (now >= start + windowMs) [start, count] = [now, 0];
      if (count >= limit) return Math.max(1, Math.ceil((start + windowMs - now) / 1000));
      count++;
      return true;
    },
  };
}

/**
 * Sends `n` calls through the learner (a 429'd call is sent again later), unpaced requests 0.2 ms apart.
 * Returns the simulated time to finish, the 429s, and the learner's pace after each pause.
 */
function run(server: Server, n: number, learner: PaceLearner = createPaceLearner()) {
  let now = 0;
  let left = n;
  let last = -Infinity;
  let pausedUntil = 0;
  let limited = 0;
  const paces: number[] = [];
  for (let step = 0; left > 0 && step < 100 * n; step++) {
    const rate = learner.rate(now);
    now = Math.max(now, pausedUntil, rate === undefined ? last + 0.2 : last + 1000 / rate);
    last = now;
    learner.sent(now);
    const answer = server.take(now);
    if (answer === true) {
      left--;
      learner.succeeded(now);
    } else {
      limited++;
      learner.limited(now, now, answer * 1000);
      pausedUntil = now + answer * 1000;
      paces.push(learner.rate(pausedUntil)!);
    }
  }
  return { ms: now, limited, paces };
}

describe("pace learner (simulated time)", () => {
  it("is unpaced until the first 429, then resumes at what got through ÷ (time + pause) and doubles every 150 ms", () => {
    const learner = createPaceLearner();
    expect(learner.rate(0)).toBeUndefined();
    for (let i = 0; i < 20; i++) {
      learner.sent(i);
      learner.succeeded(i);
    }
    learner.limited(20, 21, 1_000);
    expect(learner.phase()).toBe("slow-start");
    // 20 in 20 ms + a 1 s pause.
    expect(learner.rate(1_021)).toBeCloseTo((20 / 1_020) * 1000, 6);
    expect(learner.rate(1_021 + 150)).toBeCloseTo((40 / 1_020) * 1000, 6);
    expect(learner.rate(1_021 + 300)).toBeCloseTo((80 / 1_020) * 1000, 6);
  });

  it("finds a token bucket's rate from below after the second 429 (200/s, burst 20)", () => {
    const { ms, limited, paces } = run(tokenBucket(20, 200), 1_000);
    // First estimate ≈ the burst per second; after the slow start's 429, close to the true 200/s.
    expect(paces[0]).toBeLessThan(40);
    // Resumed at 93 % of an estimate that is a lower bound (but for less than one token of rounding).
    expect(paces[1]).toBeGreaterThan(0.93 * 185);
    expect(paces[1]).toBeLessThanOrEqual(0.93 * 204);
    // Two pauses to learn it, at most one more while probing (the floor is (1000 − 20) ÷ 200 = 4.9 s, plus ~1 s per pause).
    expect(limited).toBeLessThanOrEqual(3);
    expect(ms).toBeLessThan(1.5 * 4_900);
  });

  it("scales: a slow bucket (10/s, burst 5) and a fast one (1000/s, burst 100)", () => {
    const slow = run(tokenBucket(5, 10), 200);
    // Few requests per interval: a rougher estimate, still from below.
    expect(slow.paces[1]).toBeGreaterThan(5);
    expect(slow.paces[1]).toBeLessThanOrEqual(0.93 * 10.2);
    expect(slow.ms).toBeLessThan(1.5 * 19_500);
    const fast = run(tokenBucket(100, 1_000), 5_000);
    expect(fast.paces[1]).toBeGreaterThan(0.93 * 850);
    expect(fast.paces[1]).toBeLessThanOrEqual(0.93 * 1_020);
    expect(fast.limited).toBeLessThanOrEqual(5);
  });

  it("keeps a fixed window's rate: what got through ÷ (time + pause)", () => {
    const { ms, limited, paces } = run(fixedWindow(50, 1_000), 1_000);
    expect(paces[0]).toBeGreaterThan(45);
    expect(paces[0]).toBeLessThanOrEqual(50);
    // Ideal (1000 − 50) ÷ 50/s = 19 s; windows open at the first request and Retry-After is rounded up.
    expect(ms).toBeLessThan(1.6 * 19_000);
    expect(limited).toBeLessThan(30);
  });

  it("halves the pace after a 429 when nothing got through since the last pause", () => {
    const learner = createPaceLearner();
    learner.sent(0);
    learner.succeeded(0);
    learner.limited(10, 10, 1_000); // slow start from 1/(1.01 s)
    const before = learner.rate(1_010 + 600)!;
    learner.sent(1_010 + 600);
    learner.limited(1_010 + 600, 1_010 + 600, 1_000);
    expect(learner.phase()).toBe("probe");
    expect(learner.rate(2_610)).toBeCloseTo(before / 2, 6);
  });
});
