// A fleet that shares a coordinator and states no limit learns one pace together (fleet-pace.ts): in simulated
// time, several members (one rate-limit stage each, as processes have) against one token bucket, as bench/fleet.ts
// runs them as processes. Before the fleet pace, each member learned its own share from its own 429s (the others'
// traffic made them) and shared the "window" pauses it then thought it saw: the fleet stopped and resumed together.
import { describe, expect, it } from "vitest";
import { BETA, cutPace, INITIAL_RATE, newFleetPace, OPENING_SHARE, paceAt, takeTurn } from "../../src/resilience/rate-limit/fleet-pace.js";
import { createFleetPacer, type PacedSharing } from "../../src/resilience/rate-limit/fleet-pacer.js";
import { createLocalLimitSharing } from "../../src/resilience/rate-limit/sharing.js";
import type { LimitSharing, PauseEvent, RateLimitRequest } from "../../src/resilience/rate-limit/types.js";
import { simulateFleet, type FleetRun } from "../support/fleet-sim.js";
import { serverModel, simLimiter, VirtualClock } from "../support/limiter-sim.js";

const bucket = (refillPerSecond: number, capacity: number) => serverModel({ model: "token-bucket", capacity, refillPerSecond });
const floorMs = (run: FleetRun, rate: number, burst: number) => ((run.members * run.calls - burst) / rate) * 1000;

async function fleet(run: FleetRun, rate: number, burst: number, sharing?: (clock: VirtualClock) => LimitSharing) {
  const clock = new VirtualClock();
  return simulateFleet(clock, bucket(rate, burst), { ...run, ...(sharing ? { sharing: sharing(clock) } : {}) });
}

describe("the fleet's learned pace", () => {
  it("8 members learning a 200/s bucket together: near the floor, few 429s, no failed call, and better than alone", async () => {
    const run: FleetRun = { members: 8, calls: 250, inFlight: 100, latencyMs: 20, jitterMs: 20 };
    const together = await fleet(run, 200, 20, (clock) => createLocalLimitSharing(clock.now));
    const alone = await fleet(run, 200, 20);
    expect(together.failed).toBe(0);
    expect(together.succeeded).toBe(2000);
    expect(together.r429 / together.attempts).toBeLessThanOrEqual(0.05);
    expect(together.totalMs).toBeLessThanOrEqual(1.15 * floorMs(run, 200, 20));
    expect(together.totalMs).toBeLessThan(alone.totalMs);
    expect(together.r429).toBeLessThan(alone.r429);
  });

  it("finds a slower limit too (50/s, burst 5)", async () => {
    const run: FleetRun = { members: 4, calls: 250, inFlight: 100, latencyMs: 20, jitterMs: 20 };
    const together = await fleet(run, 50, 5, (clock) => createLocalLimitSharing(clock.now));
    expect(together.failed).toBe(0);
    expect(together.r429 / together.attempts).toBeLessThanOrEqual(0.05);
    expect(together.totalMs).toBeLessThanOrEqual(1.15 * floorMs(run, 50, 5));
  });
});

describe("the fleet's first cut", () => {
  it("paces the fleet at a share of the opening's estimate (it holds the bucket's burst)", () => {
    const s = newFleetPace(0);
    // 5 successes in the opening's first 200 ms: 25/s, burst included.
    takeTurn(s, 190, { openingOk: 5, generation: 0, ok: 0, rttMs: 10, maxWaitMs: Infinity });
    cutPace(s, 200, 0);
    expect(s.known).toBeCloseTo(25);
    expect(s.base).toBeCloseTo(25 * OPENING_SHARE);
    expect(paceAt(s, 200)).toBeCloseTo(25 * OPENING_SHARE * BETA);
  });
});

describe("a sharing without the fleet's pace", () => {
  const req: RateLimitRequest = { routeGroup: "users", method: "GET", path: "/api/v2/users/me", maxWaitMs: Infinity, isRetry: false };
  const signal = () => new AbortController().signal;
  const limited = { status: 429, headers: new Headers({ "retry-after": "1" }) };
  const ok = { status: 200, headers: new Headers() };

  it("does not spread a window one member only learned from its own 429s (the others' traffic made them)", async () => {
    const clock = new VirtualClock();
    const sharing = createLocalLimitSharing(clock.now);
    const a = simLimiter({ assumeTokenLimit: false }, sharing, clock).limiter;
    const b = simLimiter({ assumeTokenLimit: false }, sharing, clock).limiter;
    const aPauses: PauseEvent[] = [];
    const bPauses: PauseEvent[] = [];
    a.onPause((p) => aPauses.push(p));
    b.onPause((p) => bPauses.push(p));
    // A: two successes and a 429 (the pace drops, a probe tells the kind), then the probe meets a 429 too: a window.
    const opening = await Promise.all([0, 1, 2].map(() => a.acquire(req, signal())));
    a.complete(opening[0], ok);
    a.complete(opening[1], ok);
    a.complete(opening[2], limited);
    const probe = a.acquire(req, signal());
    await clock.run(clock.now() + 2_000);
    a.complete(await probe, limited);
    await clock.run(clock.now());
    expect(a.snapshot().limits).toContainEqual(expect.objectContaining({ kind: "window", source: "learned" }));
    expect(aPauses.filter((p) => p.reason === "window")).toHaveLength(1);
    // B has not met it: its own answers will tell it whatever its share is.
    expect(bPauses).toEqual([]);
    expect(b.snapshot().pausedUntil).toBeUndefined();
  });
});

describe("a member's turns under the fleet's pace", () => {
  it("queue one at a time while paced; an aborted turn leaves the queue and the next goes on", async () => {
    const clock = new VirtualClock();
    const sharing = createLocalLimitSharing(clock.now);
    const pacer = createFleetPacer(sharing as PacedSharing, "k", 50, clock);
    const went: number[] = [];
    const first = await pacer.turn(new AbortController().signal, Infinity); // the fleet starts paced
    expect(first.generation).toBe(0);
    const aborted = new AbortController();
    const turns = [
      pacer.turn(new AbortController().signal, Infinity),
      pacer.turn(aborted.signal, Infinity),
      pacer.turn(new AbortController().signal, Infinity),
    ];
    turns.forEach(
      (t) =>
        void t.then(
          () => went.push(clock.now()),
          () => undefined,
        ),
    );
    aborted.abort(new Error("caller gave up"));
    await expect(turns[1]).rejects.toThrow("caller gave up");
    await clock.run(5_000);
    await Promise.all([turns[0], turns[2]]);
    expect(went).toHaveLength(2);
    // At the initial rate, after the burst of 2, one turn per 1/rate: the third went about 1/rate after the second.
    expect(went[1] - went[0]).toBeGreaterThan(0);
    expect(went[1] - went[0]).toBeLessThanOrEqual(1000 / INITIAL_RATE + 1);
  });
});
