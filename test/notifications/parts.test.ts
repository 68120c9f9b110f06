// The stream's parts on their own: the heartbeat watchdog in simulated time, the WebSocket loader, the connectUri
// policy, overlap de-duplication, topic placement and the bounded event queue.
import { afterEach, describe, expect, it, vi } from "vitest";
import { WebSocket as WsWebSocket } from "ws";
import { ConfigurationError, NotificationError } from "../../src/index.js";
import { connectUriPolicy, redactUrl } from "../../src/notifications/connect-uri.js";
import { createOverlapDedupe } from "../../src/notifications/dedupe.js";
import { createWatchdog } from "../../src/notifications/heartbeat.js";
import { resolveStreamOptions } from "../../src/notifications/options.js";
import { createEventQueue } from "../../src/notifications/queue.js";
import { createTimers } from "../../src/notifications/timers.js";
import { checkTopicCount, checkTopics, placeTopics } from "../../src/notifications/topics.js";
import type { WebSocketConstructor } from "../../src/notifications/types.js";
import { loadWebSocket } from "../../src/notifications/websocket.js";

describe("heartbeat watchdog (simulated time)", () => {
  afterEach(() => vi.useRealTimers());

  function watch(idleMs = 30_000, pingTimeoutMs = 15_000) {
    vi.useFakeTimers();
    const timers = createTimers();
    const log: string[] = [];
    const dog = createWatchdog({ idleMs, pingTimeoutMs, timers, ping: () => log.push(`ping@${Date.now()}`), dead: () => log.push(`dead@${Date.now()}`) });
    return { dog, log, timers, t0: Date.now() };
  }

  it("pings after idleMs of silence and declares the socket dead pingTimeoutMs later: within 1.5 heartbeat intervals", () => {
    const { log, timers, t0 } = watch();
    vi.advanceTimersByTime(29_999);
    expect(log).toEqual([]);
    vi.advanceTimersByTime(1);
    expect(log).toEqual([`ping@${t0 + 30_000}`]);
    vi.advanceTimersByTime(15_000);
    vi.advanceTimersToNextTimer(); // the verdict waits one turn (a 0 ms timer), so socket data already waiting is read first
    expect(log).toHaveLength(2);
    const deadAt = Number(log[1].replace("dead@", ""));
    expect(deadAt - t0).toBeGreaterThanOrEqual(45_000); // simulated time: idleMs + pingTimeoutMs (+ the one-turn wait)
    expect(deadAt - t0).toBeLessThanOrEqual(45_001);
    expect(timers.pending).toBe(0);
  });

  it("every message resets the silence; a pong (any message after the ping) keeps the socket alive", () => {
    const { dog, log, t0 } = watch();
    for (let i = 0; i < 10; i++) {
      vi.advanceTimersByTime(20_000);
      dog.heard(); // heartbeats every 20 s: never a ping
    }
    expect(log).toEqual([]);
    vi.advanceTimersByTime(30_000);
    expect(log).toEqual([`ping@${t0 + 230_000}`]);
    vi.advanceTimersByTime(5_000);
    dog.heard(); // the pong
    vi.advanceTimersByTime(29_999);
    expect(log).toHaveLength(1);
    vi.advanceTimersByTime(1);
    expect(log).toEqual([`ping@${t0 + 230_000}`, `ping@${t0 + 265_000}`]);
  });

  it("stop() clears its timer", () => {
    const { dog, log, timers } = watch();
    dog.stop();
    expect(timers.pending).toBe(0);
    vi.advanceTimersByTime(100_000);
    expect(log).toEqual([]);
  });
});

describe("WebSocket loader", () => {
  afterEach(() => vi.unstubAllGlobals());

  it("uses the global WebSocket when there is one (browsers, Node 22+), without importing ws", async () => {
    vi.stubGlobal("WebSocket", WsWebSocket);
    const importer = vi.fn(async () => ({}));
    expect(await loadWebSocket(undefined, importer)).toBe(WsWebSocket);
    expect(importer).not.toHaveBeenCalled();
  });

  it("on Node 20 imports ws; without it a typed error saying to install it", async () => {
    vi.stubGlobal("WebSocket", undefined);
    expect(await loadWebSocket(undefined, async (name) => await import(name))).toBe(WsWebSocket);
    const missing = await loadWebSocket(undefined, async () => {
      throw Object.assign(new Error("Cannot find package 'ws'"), { code: "ERR_MODULE_NOT_FOUND" });
    }).catch((e: unknown) => e);
    expect(missing).toBeInstanceOf(NotificationError);
    expect(missing).toMatchObject({ reason: "websocket-unavailable" });
    expect((missing as Error).message).toContain("npm install ws");
  });

  it("a WebSocket given in the options wins", async () => {
    const given = WsWebSocket as unknown as WebSocketConstructor;
    expect(await loadWebSocket(given)).toBe(given);
  });
});

describe("connectUri policy", () => {
  it("region: only wss://streaming.<region domain>", () => {
    const check = connectUriPolicy("https://api.mypurecloud.ie", "us_east_1"); // the API origin names the region
    expect(check("wss://streaming.mypurecloud.ie/channels/streaming-0-abc")).toBe("wss://streaming.mypurecloud.ie/channels/streaming-0-abc");
    for (const [uri, reason] of [
      ["wss://streaming.mypurecloud.com/channels/x", "foreign-connect-uri"],
      ["wss://streaming.mypurecloud.ie.evil.example/channels/x", "foreign-connect-uri"],
      ["wss://streaming.mypurecloud.ie:8443/channels/x", "foreign-connect-uri"],
      ["ws://streaming.mypurecloud.ie/channels/x", "invalid-connect-uri"],
      ["wss://user:pw@streaming.mypurecloud.ie/channels/x", "invalid-connect-uri"],
      ["not a url", "invalid-connect-uri"],
    ]) {
      expect(() => check(uri), uri).toThrow(expect.objectContaining({ name: "NotificationError", reason }));
    }
    expect(() => connectUriPolicy("https://proxy.example.com", "eu_central_2")("wss://streaming.euc2.pure.cloud/channels/x")).not.toThrow();
  });

  it("loopback baseUrl: ws:// or wss:// on that loopback host only", () => {
    const check = connectUriPolicy("http://127.0.0.1:4010", "us_east_1");
    expect(() => check("ws://127.0.0.1:5555/channels/x")).not.toThrow();
    expect(() => check("ws://localhost:4010/channels/x")).toThrow(expect.objectContaining({ reason: "foreign-connect-uri" }));
    expect(() => check("ws://10.0.0.1:4010/channels/x")).toThrow(expect.objectContaining({ reason: "foreign-connect-uri" }));
  });

  it("errors and redacted URLs never show a query string", () => {
    expect(redactUrl("wss://streaming.mypurecloud.com/channels/x?access_token=secret")).toBe("wss://streaming.mypurecloud.com/channels/x");
    const error = (() => {
      try {
        connectUriPolicy("https://api.mypurecloud.com", "us_east_1")("wss://evil.example/c?access_token=secret");
      } catch (e) {
        return e as Error;
      }
    })();
    expect(JSON.stringify(error)).not.toContain("secret");
    expect(error?.message).not.toContain("secret");
  });
});

describe("overlap de-duplication", () => {
  const ev = (seq: number, id = `c${seq}`) => ({ topicName: "v2.users.u.presence", version: "2", eventBody: { seq }, metadata: { CorrelationId: id } });

  it("an event seen on both sockets passes once, whichever side is first; two equal events stay two", () => {
    const d = createOverlapDedupe();
    expect([d.admit(0, ev(1)), d.admit(1, ev(1))]).toEqual([true, false]);
    expect([d.admit(1, ev(2)), d.admit(0, ev(2))]).toEqual([true, false]);
    const twin = ev(3, "same");
    expect([d.admit(0, twin), d.admit(0, twin), d.admit(1, twin), d.admit(1, twin), d.admit(1, twin)]).toEqual([true, true, false, false, true]);
  });
});

describe("topics and options", () => {
  it("checks names, removes repeats, places topics on channels of at most 1,000", () => {
    expect(checkTopics(["v2.a.b", "v2.a.b", "v2.c"])).toEqual(["v2.a.b", "v2.c"]);
    expect(() => checkTopics(["v2.system.socket_closing"])).toThrow(expect.objectContaining({ reason: "invalid-topic" }));
    expect(() => checkTopics("v2.a")).toThrow(ConfigurationError);
    const added = Array.from({ length: 1_700 }, (_, i) => `v2.t${i}`);
    const { existing, fresh } = placeTopics([900, 1_000], added);
    expect(existing.map((e) => e.length)).toEqual([100, 0]);
    expect(fresh.map((f) => f.length)).toEqual([1_000, 600]);
    expect(() => checkTopicCount(5_001, 5, [])).toThrow(expect.objectContaining({ reason: "too-many-topics" }));
  });

  it("options: defaults, and a ConfigurationError naming a bad one", () => {
    expect(resolveStreamOptions({})).toMatchObject({ heartbeatIntervalMs: 30_000, pingTimeoutMs: 15_000, maxChannels: 5, overlapMs: 1_000 });
    expect(resolveStreamOptions({ heartbeatIntervalMs: 1_000 }).pingTimeoutMs).toBe(500);
    expect(() => resolveStreamOptions({ maxChannels: 20 })).toThrow(/maxChannels/);
    expect(() => resolveStreamOptions({ heartbeatIntervalMs: -1 })).toThrow(ConfigurationError);
  });
});

describe("event queue", () => {
  it("past its bound drops the oldest and reports them once as one overflow interval", async () => {
    const overflows: { dropped: number; topics: Set<string> }[] = [];
    const q = createEventQueue<{ topicName: string; n: number }>(3, (o) => overflows.push(o));
    for (let n = 0; n < 6; n++) q.push({ topicName: n % 2 ? "v2.a" : "v2.b", n });
    const it = q.iterator(async () => undefined);
    expect((await it.next()).value).toEqual({ topicName: "v2.a", n: 3 });
    expect(overflows).toHaveLength(1);
    expect(overflows[0]).toMatchObject({ dropped: 3, topics: new Set(["v2.a", "v2.b"]) });
    q.end(new Error("fatal"));
    expect((await it.next()).value).toMatchObject({ n: 4 });
    expect((await it.next()).value).toMatchObject({ n: 5 });
    await expect(it.next()).rejects.toThrow("fatal");
    expect(await it.next()).toEqual({ done: true, value: undefined });
  });
});
