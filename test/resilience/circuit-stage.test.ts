// The circuit stage in simulated time (fake timers and clock, no HTTP): opens by failure rate, holds calls that
// can wait for the probe, fails fast those that cannot, lets only the probe through, backs off after a failed probe.
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { BreakerOpenError } from "../../src/errors.js";
import { createEventHub, type GenesysEvents } from "../../src/events.js";
import type { CallState } from "../../src/resilience/call-state.js";
import { CircuitStage } from "../../src/resilience/circuit-policy.js";
import { DEFAULT_BREAKER } from "../../src/resilience/defaults.js";
import type { CallResilienceOptions } from "../../src/resilience/types.js";
import { never, testCall } from "../support/call-state.js";

beforeEach(() => void vi.useFakeTimers({ toFake: ["setTimeout", "clearTimeout", "Date", "performance"] }));
afterEach(() => void vi.useRealTimers());

function setup(breaker: Partial<typeof DEFAULT_BREAKER> = {}) {
  const events = createEventHub();
  const log: string[] = [];
  events.on("breakerOpen", () => void log.push("open"));
  events.on("breakerHalfOpen", () => void log.push("half-open"));
  events.on("breakerClose", () => void log.push("close"));
  const opened: GenesysEvents["breakerOpen"][] = [];
  events.on("breakerOpen", (e) => void opened.push(e));
  const stage = new CircuitStage({ ...DEFAULT_BREAKER, ...breaker }, events);
  let status = 503;
  let sent = 0;
  /** One attempt through the stage: the server answers `status` at once. */
  const attempt = (call: CallState, signal = never) =>
    stage.forCall(call).execute(async () => {
      call.admit?.(); // what the pipeline does right before the request goes out
      sent++;
      return new Response(null, { status });
    }, signal);
  return { stage, log, opened, attempt, setStatus: (s: number) => (status = s), sent: () => sent };
}

const call = (options: CallResilienceOptions = {}) => testCall({ call: options });

describe("circuit stage", () => {
  it("opens when half the attempts of the window fail, with enough of them; a streak below the throughput opens nothing", async () => {
    const { stage, attempt, log } = setup();
    // 40 failures: fewer than minimumRps (5/s) × 10 s = 50 attempts in the window → stays closed.
    for (let i = 0; i < 40; i++) expect((await attempt(call())).status).toBe(503);
    expect(stage.states()).toEqual({ users: "closed" });
    for (let i = 0; i < 10; i++) await attempt(call());
    expect(log).toEqual(["open"]);
    expect(stage.states()).toEqual({ users: "open" });
  });

  it("holds calls that can wait while open, lets one probe through, and releases them all when it succeeds", async () => {
    const { stage, attempt, log, opened, setStatus, sent } = setup({ consecutiveFailures: 3 });
    for (let i = 0; i < 3; i++) await attempt(call());
    expect(log).toEqual(["open"]);
    const probeAt = opened[0].probeAt;
    expect(probeAt - Date.now()).toBeGreaterThan(0);
    expect(probeAt - Date.now()).toBeLessThanOrEqual(DEFAULT_BREAKER.maxHalfOpenAfterMs);

    const held = Array.from({ length: 5 }, () => attempt(call()));
    await vi.advanceTimersByTimeAsync(0);
    expect(stage.held).toBe(5);
    expect(sent()).toBe(3); // nothing reached the server while open
    setStatus(200);
    await vi.advanceTimersByTimeAsync(probeAt - Date.now());
    const results = await Promise.all(held);
    expect(results.map((r) => r.status)).toEqual([200, 200, 200, 200, 200]);
    expect(log).toEqual(["open", "half-open", "close"]);
    expect(sent()).toBe(8);
    expect(stage.held).toBe(0);
    expect(vi.getTimerCount()).toBe(0);
  });

  it("fails fast, without sending, a call that cannot wait: no retries, or a budget shorter than the wait", async () => {
    const { attempt, sent } = setup({ consecutiveFailures: 2, halfOpenAfterMs: 5_000, maxHalfOpenAfterMs: 5_000 });
    for (let i = 0; i < 2; i++) await attempt(call());
    const noRetry = await attempt(call({ retry: false })).catch((e: unknown) => e);
    expect(noRetry).toBeInstanceOf(BreakerOpenError);
    expect(noRetry).toMatchObject({ routeGroup: "users", operation: { method: "GET", path: "/api/v2/users/me" } });
    await expect(attempt(call({ retry: { budgetMs: 100 } }))).rejects.toBeInstanceOf(BreakerOpenError);
    await expect(attempt(call({ deadlineMs: 100 }))).rejects.toBeInstanceOf(BreakerOpenError);
    expect(sent()).toBe(2);
  });

  it("a failed probe opens the circuit again; a held call whose budget ends before the next probe gives up then", async () => {
    const { attempt, log, opened, sent } = setup({ consecutiveFailures: 2 });
    for (let i = 0; i < 2; i++) await attempt(call());
    const firstWait = opened[0].probeAt - Date.now();
    const probe = attempt(call()); // held first: released first, so it becomes the probe
    const hasty = attempt(call({ retry: { budgetMs: firstWait + 1 } })).catch((e: unknown) => e);
    await vi.advanceTimersByTimeAsync(firstWait);
    expect(log).toEqual(["open", "half-open", "open"]);
    expect((await probe).status).toBe(503); // the probe's own answer goes to its caller
    expect(sent()).toBe(3); // only the probe reached the server
    expect(opened[1].probeAt).toBeGreaterThan(Date.now());
    expect(await hasty).toBeInstanceOf(BreakerOpenError);
    expect(sent()).toBe(3);
  });

  it("an attempt that queued while the circuit opened is stopped before it is sent, and held", async () => {
    const { stage, attempt, setStatus, sent, opened } = setup({ consecutiveFailures: 2 });
    let release!: () => void;
    const gate = new Promise<void>((resolve) => (release = resolve));
    const slow = call();
    // Entered while closed, then waits (as in a bulkhead queue) before it would be sent.
    const queued = stage.forCall(slow).execute(async () => {
      await gate;
      slow.admit?.();
      return new Response(null, { status: 200 });
    }, never);
    for (let i = 0; i < 2; i++) await attempt(call());
    expect(stage.states().users).toBe("open");
    release();
    await vi.advanceTimersByTimeAsync(0);
    expect(stage.held).toBe(1);
    expect(sent()).toBe(2);
    setStatus(200);
    await vi.advanceTimersByTimeAsync(opened[0].probeAt - Date.now());
    expect((await queued).status).toBe(200);
  });

  it("an aborted held call leaves at once, and no timer is left behind", async () => {
    const { stage, attempt } = setup({ consecutiveFailures: 2, halfOpenAfterMs: 20_000, maxHalfOpenAfterMs: 20_000 });
    for (let i = 0; i < 2; i++) await attempt(call());
    const controller = new AbortController();
    const held = attempt(call(), controller.signal).catch((e: unknown) => e);
    await vi.advanceTimersByTimeAsync(0);
    expect(stage.held).toBe(1);
    expect(vi.getTimerCount()).toBe(1);
    controller.abort(new Error("caller left"));
    expect(await held).toMatchObject({ message: "caller left" });
    expect(stage.held).toBe(0);
    expect(vi.getTimerCount()).toBe(0);
  });
});
