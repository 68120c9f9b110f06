// The one waiter queue, and the bulkhead built on it: a cap on attempts in flight, retries first, aborts leave at once.
import { describe, expect, it } from "vitest";
import { BulkheadFullError } from "../../src/errors.js";
import { createEventHub } from "../../src/events.js";
import { BulkheadStage } from "../../src/resilience/bulkhead-policy.js";
import { WaiterQueue } from "../../src/resilience/waiters.js";
import { never, testCall, tick } from "../support/call-state.js";

describe("waiter queue", () => {
  it("grants in order, ahead-waiters first, and drops an aborted waiter at once", async () => {
    let emptied = 0;
    const queue = new WaiterQueue<string, string>({ onEmpty: () => void emptied++ });
    const got: string[] = [];
    const a = queue.wait(never, "a").then((v) => got.push(`a:${v}`));
    const controller = new AbortController();
    const b = queue.wait(controller.signal, "b");
    const c = queue.wait(never, "c", true).then((v) => got.push(`c:${v}`));
    expect(queue.infos()).toEqual(["c", "a", "b"]);
    controller.abort(new Error("left"));
    await expect(b).rejects.toThrow("left");
    expect(queue.size).toBe(2);
    expect(queue.grant("1")).toBe(true);
    queue.grantAll("2");
    await Promise.all([a, c]);
    expect(got).toEqual(["c:1", "a:2"]);
    expect(queue.grant("3")).toBe(false);
    expect(emptied).toBe(0); // only an abort that empties the queue calls onEmpty
    const d = queue.wait(controller.signal, "d");
    await expect(d).rejects.toThrow("left"); // already aborted: never queued
  });

  it("rejects the waiters a predicate picks, keeping the others in order; onEmpty after the last abort", async () => {
    let emptied = 0;
    const queue = new WaiterQueue<void, number>({ onEmpty: () => void emptied++ });
    const waits = [1, 2, 3, 4].map((n) =>
      queue.wait(never, n).then(
        () => `ok ${n}`,
        (e: Error) => e.message,
      ),
    );
    queue.rejectWhere((n) => (n % 2 === 0 ? new Error(`no ${n}`) : undefined));
    expect(queue.infos()).toEqual([1, 3]);
    queue.grantAll();
    expect(await Promise.all(waits)).toEqual(["ok 1", "no 2", "ok 3", "no 4"]);
    const controller = new AbortController();
    const last = queue.wait(controller.signal, 5);
    controller.abort();
    await last.catch(() => undefined);
    expect(emptied).toBe(1);
  });
});

describe("bulkhead", () => {
  const run = (stage: BulkheadStage, call = testCall(), signal = never) => {
    let release!: () => void;
    const done = new Promise<void>((resolve) => (release = resolve));
    const result = stage.forCall(call).execute(() => done, signal);
    return { release, result };
  };

  it("caps attempts in flight and passes slots to waiters in order, retries first", async () => {
    const stage = new BulkheadStage({ maxConcurrent: 2, maxQueued: Infinity }, createEventHub());
    const a = run(stage);
    const b = run(stage);
    const c = run(stage);
    const retry = run(stage, { ...testCall(), attempt: 2 });
    await tick();
    expect([stage.running, stage.queued]).toEqual([2, 2]);
    const order: string[] = [];
    void c.result.then(() => order.push("c"));
    void retry.result.then(() => order.push("retry"));
    a.release();
    await tick();
    retry.release(); // the retry got the freed slot first
    await tick();
    expect(order).toEqual(["retry"]);
    b.release();
    await tick();
    c.release();
    await Promise.all([a.result, b.result, c.result, retry.result]);
    expect(order).toEqual(["retry", "c"]);
    expect([stage.running, stage.queued]).toEqual([0, 0]);
  });

  it("refuses new calls past maxQueued (never a retry), and an aborted waiter leaves the queue at once", async () => {
    const events = createEventHub();
    const rejects: unknown[] = [];
    events.on("bulkheadReject", (e) => void rejects.push(e));
    const stage = new BulkheadStage({ maxConcurrent: 1, maxQueued: 1 }, events);
    const held = run(stage);
    const controller = new AbortController();
    const queued = run(stage, testCall(), controller.signal);
    await expect(run(stage).result).rejects.toBeInstanceOf(BulkheadFullError);
    expect(rejects).toEqual([{ method: "GET", path: "/api/v2/users/me", queued: 1 }]);
    const retry = run(stage, { ...testCall(), attempt: 3 });
    expect(stage.queued).toBe(2);
    controller.abort(new Error("gone"));
    await expect(queued.result).rejects.toThrow("gone");
    expect(stage.queued).toBe(1);
    held.release();
    await tick();
    retry.release();
    await Promise.all([held.result, retry.result]);
    expect([stage.running, stage.queued]).toEqual([0, 0]);
  });
});
