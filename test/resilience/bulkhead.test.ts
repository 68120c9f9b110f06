// The bulkhead: a cap on attempts in flight, a queue (optionally bounded), retries first, aborts leave at once.
import { describe, expect, it } from "vitest";
import { createBulkhead, type Release } from "../../src/resilience/bulkhead.js";

const never = new AbortController().signal;
const tick = () => new Promise((resolve) => setImmediate(resolve));

describe("bulkhead", () => {
  it("caps concurrency and hands slots to the queue in order", async () => {
    const bulkhead = createBulkhead({ maxConcurrent: 2, maxQueued: Infinity });
    const a = (await bulkhead.acquire(never, false))!;
    const b = (await bulkhead.acquire(never, false))!;
    const order: string[] = [];
    const c = bulkhead.acquire(never, false).then((r) => (order.push("c"), r!));
    const d = bulkhead.acquire(never, false).then((r) => (order.push("d"), r!));
    await tick();
    expect([bulkhead.active, bulkhead.queued, order]).toEqual([2, 2, []]);
    a();
    a(); // releasing twice frees one slot only
    await tick();
    expect([bulkhead.active, bulkhead.queued, order]).toEqual([2, 1, ["c"]]);
    b();
    (await c)();
    (await d)();
    expect([bulkhead.active, bulkhead.queued, order]).toEqual([0, 0, ["c", "d"]]);
  });

  it("refuses new calls past the queue bound, but never a retry of an admitted call", async () => {
    const bulkhead = createBulkhead({ maxConcurrent: 1, maxQueued: 1 });
    const held = (await bulkhead.acquire(never, false))!;
    const queued = bulkhead.acquire(never, false);
    expect(await bulkhead.acquire(never, false)).toBeUndefined();
    const retry = bulkhead.acquire(never, true);
    expect(bulkhead.queued).toBe(2);
    held();
    // The retry goes first, ahead of the new call queued before it.
    const first = await Promise.race([retry.then(() => "retry"), queued.then(() => "new")]);
    expect(first).toBe("retry");
    ((await retry) as Release)();
    ((await queued) as Release)();
    expect(bulkhead.active).toBe(0);
  });

  it("removes an aborted caller from the queue at once", async () => {
    const bulkhead = createBulkhead({ maxConcurrent: 1, maxQueued: Infinity });
    const held = (await bulkhead.acquire(never, false))!;
    const controller = new AbortController();
    const waiting = bulkhead.acquire(controller.signal, false);
    expect(bulkhead.queued).toBe(1);
    controller.abort(new Error("gone"));
    await expect(waiting).rejects.toThrow("gone");
    expect(bulkhead.queued).toBe(0);
    held();
    expect(bulkhead.active).toBe(0);
    await expect(bulkhead.acquire(controller.signal, false)).rejects.toThrow("gone");
  });
});
