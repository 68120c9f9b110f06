// A fleet that shares a coordinator and states no limit learns one pace together (fleet-pace.ts): in simulated
// time, several members (one rate-limit stage each, as processes have) against one token bucket, as bench/fleet.ts
// runs them as processes. Before the fleet pace, each member learned its own share from its own 429s (the others'
// traffic made them) and shared the "window" pauses it then thought it saw: the fleet stopped and resumed together.
import { describe, expect, it } from "vitest";
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
