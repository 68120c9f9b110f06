// The waits between status polls, computed without any clock: bounds, growth, Retry-After, and the poll count a
// 3 s job needs on the defaults.
import { describe, expect, it } from "vitest";
import { JOB_DEFAULTS, resolveJobOptions } from "../../src/jobs/options.js";
import { createPollSchedule } from "../../src/jobs/poll-schedule.js";

const sequences = (n: number, steps: number, poll = JOB_DEFAULTS.poll) =>
  Array.from({ length: n }, () => {
    const schedule = createPollSchedule(poll);
    return Array.from({ length: steps }, () => schedule.next());
  });
const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)];

describe("poll schedule", () => {
  it("defaults: 1 s first wait, ×2 growth, 30 s cap, 1 h overall", () => {
    expect(JOB_DEFAULTS).toEqual({
      poll: { initialDelayMs: 1_000, factor: 2, maxDelayMs: 30_000 },
      maxWaitMs: 3_600_000,
      cancelOnAbort: true,
      cancelTimeoutMs: 2_000,
    });
  });

  it("every wait is between initialDelayMs and maxDelayMs", () => {
    for (const waits of sequences(500, 15)) for (const w of waits) expect(w >= 1_000 && w <= 30_000, String(w)).toBe(true);
  });

  it("waits grow about ×factor per poll (jittered) until the cap", () => {
    const runs = sequences(2_000, 12);
    const at = (i: number) => median(runs.map((r) => r[i]));
    // The n-th poll lands near initial × 2^n after the submission: each wait about doubles.
    expect(at(4)).toBeGreaterThan(at(2) * 2);
    expect(at(6)).toBeGreaterThan(at(4) * 2);
    expect(at(11)).toBe(30_000);
    // Jitter: waits of the same poll differ between jobs.
    expect(new Set(runs.map((r) => r[3])).size).toBeGreaterThan(100);
  });

  it("a 3 s job needs at most 3 polls on the defaults (≤ 8 is the target)", () => {
    for (const waits of sequences(2_000, 10)) {
      let t = 0;
      let polls = 0;
      while (t < 3_000) {
        t += waits[polls];
        polls++;
      }
      expect(polls).toBeLessThanOrEqual(3);
    }
  });

  it("factor 1 polls at a constant initialDelayMs", () => {
    for (const waits of sequences(50, 10, { initialDelayMs: 250, factor: 1, maxDelayMs: 10_000 })) expect(new Set(waits)).toEqual(new Set([250]));
  });

  it("a status answer's Retry-After makes the next wait at least that long, past the cap too", () => {
    const schedule = createPollSchedule({ initialDelayMs: 100, factor: 2, maxDelayMs: 1_000 });
    expect(schedule.next(3_000)).toBe(3_000);
    expect(schedule.next(50)).toBeGreaterThanOrEqual(100);
    expect(schedule.next()).toBeLessThanOrEqual(1_000);
  });

  it("options merge over the defaults and are validated", () => {
    expect(resolveJobOptions({ poll: { factor: 1.5 } }).poll).toEqual({ initialDelayMs: 1_000, factor: 1.5, maxDelayMs: 30_000 });
    expect(resolveJobOptions({ maxWaitMs: Infinity }).maxWaitMs).toBe(Infinity);
    expect(() => resolveJobOptions({ poll: { factor: Number.NaN } })).toThrow(/poll\.factor/);
    expect(() => resolveJobOptions({ cancelTimeoutMs: -5 })).toThrow(/cancelTimeoutMs/);
    expect(() => resolveJobOptions({ cancelOnAbort: "yes" as unknown as boolean })).toThrow(/cancelOnAbort/);
    expect(() => resolveJobOptions({ onStatus: 3 as unknown as () => void })).toThrow(/onStatus/);
  });
});
