// The token cache's timing rules with a fake clock (no network: the fetch function is the unit's input).
import { describe, expect, it } from "vitest";
import { createTokenCache, toEntry } from "../../src/auth/token-cache.js";
import { AuthError } from "../../src/errors.js";

function setup(lifetimeMs: number | undefined, refreshSkewMs = 60_000) {
  let now = 0;
  const requests: Array<{ resolve: (value: string) => void; reject: (error: Error) => void; signal: AbortSignal }> = [];
  const cache = createTokenCache({
    refreshSkewMs,
    now: () => now,
    fetchToken: (signal) => new Promise((resolve, reject) => requests.push({ resolve: (value) => resolve({ value, lifetimeMs }), reject, signal })),
  });
  return { cache, requests, advance: (ms: number) => (now += ms) };
}
const tick = () => new Promise((resolve) => setImmediate(resolve));

describe("token cache", () => {
  it("caps the skew at half the lifetime", () => {
    expect(toEntry("t", 86_400_000, 0, 60_000)).toEqual({ value: "t", expiresAt: 86_400_000, refreshAt: 86_340_000 });
    expect(toEntry("t", 10_000, 0, 60_000)).toEqual({ value: "t", expiresAt: 10_000, refreshAt: 5_000 });
    expect(toEntry("t", undefined, 0, 60_000)).toEqual({ value: "t", expiresAt: Infinity, refreshAt: Infinity });
  });

  it("serves the old token inside the window while one background renewal runs", async () => {
    const { cache, requests, advance } = setup(10_000);
    const first = cache.get();
    requests[0].resolve("A");
    expect(await first).toBe("A");
    advance(6_000); // past refreshAt (5 s), before expiry (10 s)
    expect(await Promise.all([cache.get(), cache.get(), cache.get()])).toEqual(["A", "A", "A"]);
    expect(requests).toHaveLength(2);
    requests[1].resolve("B");
    await tick();
    expect(await cache.get()).toBe("B");
    expect(requests).toHaveLength(2);
  });

  it("a failed background renewal is retried no sooner than a second later; an expired token makes callers wait", async () => {
    const { cache, requests, advance } = setup(10_000);
    const first = cache.get();
    requests[0].resolve("A");
    await first;
    advance(6_000);
    expect(await cache.get()).toBe("A");
    requests[1].reject(new Error("login down"));
    await tick();
    expect(await cache.get()).toBe("A");
    expect(requests).toHaveLength(2); // not hammering the login endpoint
    advance(1_000);
    expect(await cache.get()).toBe("A");
    expect(requests).toHaveLength(3);
    requests[2].reject(new Error("still down"));
    await tick();
    advance(4_000); // expired
    const waiting = cache.get();
    expect(requests).toHaveLength(4);
    requests[3].resolve("B");
    expect(await waiting).toBe("B");
  });

  it("invalidate drops only the token that failed", async () => {
    const { cache, requests } = setup(60_000);
    const first = cache.get();
    requests[0].resolve("A");
    await first;
    cache.invalidate("stale-older-token");
    expect(await cache.get()).toBe("A");
    cache.invalidate("A");
    const [x, y] = [cache.get(), cache.get()];
    expect(requests).toHaveLength(2);
    requests[1].resolve("B");
    expect(await Promise.all([x, y])).toEqual(["B", "B"]);
  });

  it("aborts the shared request only when every waiter has left", async () => {
    const { cache, requests } = setup(60_000);
    const a = new AbortController();
    const b = new AbortController();
    const pa = cache.get(a.signal);
    const pb = cache.get(b.signal);
    a.abort(new Error("a left"));
    await expect(pa).rejects.toThrow("a left");
    expect(requests[0].signal.aborted).toBe(false);
    b.abort(new Error("b left"));
    await expect(pb).rejects.toThrow("b left");
    expect(requests[0].signal.aborted).toBe(true);
    const next = cache.get();
    expect(requests).toHaveLength(2); // a new caller starts a new request
    requests[1].resolve("C");
    expect(await next).toBe("C");
  });

  it("a failed renewal fails every waiter with the same error, and every caller during a cool-down that doubles", async () => {
    const { cache, requests, advance } = setup(60_000);
    const waiting = [cache.get(), cache.get(), cache.get()].map((p) => p.catch((e: unknown) => e));
    const down = new Error("login down");
    requests[0].reject(down);
    expect(await Promise.all(waiting)).toEqual([down, down, down]);
    await expect(cache.get()).rejects.toBe(down);
    advance(999);
    await expect(cache.get()).rejects.toBe(down);
    expect(requests).toHaveLength(1);
    advance(1); // the first cool-down is 1 s
    const second = cache.get().catch((e: unknown) => e);
    expect(requests).toHaveLength(2);
    requests[1].reject(down);
    await second;
    advance(1_999);
    await expect(cache.get()).rejects.toBe(down); // the second is 2 s
    expect(requests).toHaveLength(2);
    advance(1);
    const third = cache.get();
    requests[2].resolve("A");
    expect(await third).toBe("A");
  });

  it("a 429's Retry-After sets the cool-down", async () => {
    const { cache, requests, advance } = setup(60_000);
    const first = cache.get().catch((e: unknown) => e);
    requests[0].reject(new AuthError("429", 429, "too.many.requests", { retryAfter: 7 }));
    await first;
    advance(6_999);
    await expect(cache.get()).rejects.toBeInstanceOf(AuthError);
    expect(requests).toHaveLength(1);
    advance(1);
    void cache.get();
    expect(requests).toHaveLength(2);
  });
});
