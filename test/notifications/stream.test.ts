// gc.notifications over a real WebSocket to the simulator: delivery, subscriptions in the server's view,
// reconnection after a drop, gapless replacement on socket_closing and before expiry, dead sockets, typed errors.
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { NotificationError, type NotificationStream } from "../../src/index.js";
import type { Simulator } from "../../src/simulator/index.js";
import { simClient, startSim } from "../support/sim-client.js";
import { collect, publishSeq, seqs, until } from "./support.js";

const P = "v2.users.u1.presence";
const Q = "v2.routing.queues.q1.conversations";
/** Long enough that no heartbeat lands inside a test step: the only frames are the test's events. */
const QUIET = {
  heartbeatIntervalMs: 60_000,
  dropIntervalMs: false,
  socketClosingIntervalMs: false,
  socketClosingGraceMs: 60_000,
  channelLifetimeMs: 86_400_000,
} as const;

let sim: Simulator;
let token: string;
const open: NotificationStream[] = [];
// A simulator per test: channels outlive streams (as on Genesys), and each test reads the server's whole view.
beforeEach(async () => void ({ sim, token } = await startSim({ notifications: QUIET })));
afterEach(async () => {
  await Promise.all(open.splice(0).map((s) => s.close()));
  await sim.close();
});

async function subscribe(topics: string[], options: Parameters<ReturnType<typeof simClient>["notifications"]["subscribe"]>[1] = {}) {
  const stream = await simClient(sim, token).notifications.subscribe(topics as `v2.${string}`[], { heartbeatIntervalMs: 60_000, ...options });
  open.push(stream);
  return stream;
}

/** Ends the stream and checks nothing is left: no socket on either side, no timer in the stream. */
async function closeClean(stream: NotificationStream) {
  await stream.close();
  expect(stream.stats()).toMatchObject({ state: "closed", sockets: 0, timers: 0, channels: 0 });
  await until(() => sim.stats().notifications.sockets === 0);
}

describe("notifications stream", () => {
  it("subscribes on one channel, delivers the topics' events in order, and leaves nothing open after close()", async () => {
    const stream = await subscribe([P, Q]);
    expect(Object.values(sim.stats().notifications.subscriptions)).toEqual([[P, Q]]);
    const c = collect(stream);
    for (let i = 0; i < 20; i++) publishSeq(sim, i % 2 ? P : Q, i);
    sim.publish("v2.users.other.presence", { seq: -1 }); // not subscribed: never delivered
    await until(() => c.events.length === 20);
    expect(seqs(c.events)).toEqual([...Array(20).keys()]);
    expect(c.events[0]).toMatchObject({ topicName: Q, version: "2", eventBody: { seq: 0 }, metadata: { CorrelationId: expect.any(String) } });
    await closeClean(stream);
    await c.done;
    expect(c.gaps).toEqual([]);
    expect(sim.stats().notifications.connections.map((r) => r.closedBy)).toEqual(["client"]);
  });

  it("add() and remove() change the server's subscriptions; a removed topic's events stop", async () => {
    const stream = await subscribe([P]);
    const c = collect(stream);
    await stream.add([Q, P]);
    expect(Object.values(sim.stats().notifications.subscriptions)).toEqual([[P, Q]]);
    await stream.remove([P]);
    expect(Object.values(sim.stats().notifications.subscriptions)).toEqual([[Q]]);
    expect(stream.topics).toEqual([Q]);
    expect(publishSeq(sim, P, 1).sockets).toBe(0);
    publishSeq(sim, Q, 2);
    await until(() => c.events.length === 1);
    expect(seqs(c.events)).toEqual([2]);
    await closeClean(stream);
  });

  it("after a drop: reconnects on the same channel, restores the subscriptions, and reports the gap the server saw", async () => {
    const stream = await subscribe([P, Q]);
    const c = collect(stream);
    const before = [0, 1, 2].map((i) => publishSeq(sim, P, i));
    await until(() => c.events.length === 3);
    expect(sim.notificationFault("drop")).toBe(1);
    const lost = [10, 11].map((i) => publishSeq(sim, Q, i)); // nobody connected: lost
    await until(() => c.reconnects.length === 1);
    const after = [20, 21].map((i) => publishSeq(sim, P, i));
    await until(() => c.events.length === 5);

    expect(before.concat(after).every((p) => p.sockets === 1)).toBe(true);
    expect(lost.every((p) => p.sockets === 0)).toBe(true);
    expect(seqs(c.events)).toEqual([0, 1, 2, 20, 21]);
    expect(c.reconnects[0]).toMatchObject({ reason: "dropped", attempts: 1, topics: [P, Q] });
    const [first, second] = sim.stats().notifications.connections;
    expect(second.channelId).toBe(first.channelId);
    expect(Object.values(sim.stats().notifications.subscriptions)).toEqual([[P, Q]]);
    // One gap, covering the server's own record: from before the drop to after the new socket opened, and every lost event.
    expect(c.gaps).toHaveLength(1);
    const [gap] = c.gaps;
    expect(gap).toMatchObject({ reason: "disconnected", topics: [P, Q] });
    expect(gap.from.getTime()).toBeLessThanOrEqual(first.closedAt!);
    expect(gap.to.getTime()).toBeGreaterThanOrEqual(second.openedAt);
    for (const e of lost) expect(e.t >= gap.from.getTime() && e.t <= gap.to.getTime()).toBe(true);
    expect(gap.interval).toBe(`${gap.from.toISOString()}/${gap.to.toISOString()}`);
    await closeClean(stream);
  });

  it("on socket_closing: a new channel before the old socket closes, no gap, every event once", async () => {
    sim.configure({ notifications: { socketClosingGraceMs: 5_000 } });
    const stream = await subscribe([P], { overlapMs: 200 });
    const c = collect(stream);
    let seq = 0;
    const published: ReturnType<typeof publishSeq>[] = [];
    const publisher = setInterval(() => published.push(publishSeq(sim, P, seq++)), 5);
    await until(() => published.length > 5);
    sim.notificationFault("socket-closing");
    await until(() => c.reconnects.length === 1);
    // Publish through the overlap (both sockets get each event) and past the old socket's retirement.
    await until(() => sim.stats().notifications.connections.filter((r) => r.closedAt !== undefined).length === 1);
    const stop = published.length + 10;
    await until(() => published.length >= stop);
    clearInterval(publisher);
    await until(() => c.events.length === published.length);

    expect(published.every((p) => p.sockets >= 1)).toBe(true);
    expect(published.some((p) => p.sockets === 2)).toBe(true); // the overlap happened…
    // …and each event still came once (across the two sockets of the overlap the order may differ: each is in order).
    expect([...seqs(c.events)].sort((a, b) => a - b)).toEqual(published.map((p) => p.seq));
    expect(c.reconnects[0]).toMatchObject({ reason: "socket-closing", downtimeMs: 0 });
    expect(c.gaps).toEqual([]);
    const stats = sim.stats().notifications;
    expect(stats.channelsCreated).toBe(2);
    expect(stats.connections.map((r) => r.closedBy)).toEqual(["client", undefined]);
    expect(stream.stats()).toMatchObject({ rollovers: 1, reconnects: 0, gaps: 0 });
    await closeClean(stream);
  });

  it("replaces the channel before it expires (a fifth of its lifetime before), without a gap", async () => {
    sim.configure({ notifications: { channelLifetimeMs: 1_500 } });
    const stream = await subscribe([P], { overlapMs: 50 });
    const c = collect(stream);
    await until(() => c.reconnects.length === 1);
    publishSeq(sim, P, 1);
    await until(() => c.events.length === 1);
    expect(c.reconnects[0]).toMatchObject({ reason: "channel-expiring", downtimeMs: 0 });
    expect(c.gaps).toEqual([]);
    await until(() => sim.stats().notifications.connections[0].closedAt !== undefined);
    const [first, second] = sim.stats().notifications.connections;
    expect(first.closedBy).toBe("client"); // closed by the stream after the overlap, before the expiry closed it
    expect(second.openedAt).toBeLessThan(first.closedAt!);
    await closeClean(stream);
  });

  it("detects a dead socket by ping timeout and reconnects; the gap starts at the last message heard", async () => {
    const stream = await subscribe([P], { heartbeatIntervalMs: 150, pingTimeoutMs: 100 });
    const c = collect(stream);
    publishSeq(sim, P, 1);
    await until(() => c.events.length === 1);
    sim.notificationFault("stall");
    const lost = publishSeq(sim, P, 2);
    await until(() => c.reconnects.length === 1);
    publishSeq(sim, P, 3);
    await until(() => c.events.length === 2);
    expect(lost.sockets).toBe(0);
    expect(seqs(c.events)).toEqual([1, 3]);
    expect(c.reconnects[0].reason).toBe("heartbeat-missed");
    expect(c.gaps).toHaveLength(1);
    expect(lost.t).toBeGreaterThanOrEqual(c.gaps[0].from.getTime());
    expect(lost.t).toBeLessThanOrEqual(c.gaps[0].to.getTime());
    const [stalled] = sim.stats().notifications.connections;
    expect(stalled.closedBy).toBe("stall");
    await closeClean(stream);
  });

  it("after a channel expired while disconnected: a new channel with the same subscriptions", async () => {
    const stream = await subscribe([P, Q]);
    const c = collect(stream);
    sim.notificationFault("expire"); // channel gone (404 from then on), socket closed by the server
    await until(() => c.reconnects.length === 1);
    expect(c.reconnects[0].reason).toBe("channel-gone");
    const stats = sim.stats().notifications;
    expect(stats.channelsCreated).toBe(2);
    expect(Object.values(stats.subscriptions)).toEqual([[P, Q]]);
    expect(c.gaps).toHaveLength(1);
    await closeClean(stream);
  });

  it("more than 1,000 topics: spread over channels of at most 1,000; past maxChannels a typed error before any request", async () => {
    const topics = Array.from({ length: 1_500 }, (_, i) => `v2.users.u${i}.presence`);
    const stream = await subscribe(topics);
    const sizes = Object.values(sim.stats().notifications.subscriptions).map((t) => t.length);
    expect(sizes.sort()).toEqual([1_000, 500]);
    expect(stream.stats()).toMatchObject({ channels: 2, sockets: 2, topics: 1_500 });
    const c = collect(stream);
    publishSeq(sim, topics[1_499], 7);
    await until(() => c.events.length === 1);
    await closeClean(stream);

    sim.resetStats();
    const error = await subscribe(topics, { maxChannels: 1 }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(NotificationError);
    expect(error).toMatchObject({ reason: "too-many-topics" });
    expect(sim.stats().notifications.channelsCreated).toBe(0);
  });

  it("refuses a connectUri that is not on the client's streaming host, before connecting", async () => {
    sim.configure({ notifications: { connectUriOrigin: "wss://streaming.evil.example" } });
    const error = await subscribe([P]).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(NotificationError);
    expect(error).toMatchObject({ reason: "foreign-connect-uri" });
    expect((error as Error).message).toContain("wss://streaming.evil.example/channels/");
    expect(sim.stats().notifications.socketsOpened).toBe(0);
  });

  it("bad topic names and topics Genesys rejects are typed errors naming them", async () => {
    await expect(subscribe(["users.u1.presence"])).rejects.toMatchObject({ name: "NotificationError", reason: "invalid-topic" });
    sim.configure({ notifications: { rejectTopics: ["v2.users.secret*"] } });
    await expect(subscribe(["v2.users.secret.presence"])).rejects.toMatchObject({ reason: "invalid-topic", topics: ["v2.users.secret.presence"] });
    const stream = await subscribe([P]);
    await expect(stream.add([Q, "v2.users.secret2.presence"])).rejects.toMatchObject({ reason: "invalid-topic", topics: ["v2.users.secret2.presence"] });
    expect(stream.topics).toEqual([P, Q]); // the accepted one stays
    expect(Object.values(sim.stats().notifications.subscriptions).at(-1)).toEqual([P, Q]);
    await closeClean(stream);
  });

  it("the signal closes the stream and ends the iteration; breaking out of for-await closes it too", async () => {
    const controller = new AbortController();
    const stream = await subscribe([P], { signal: controller.signal });
    const c = collect(stream);
    controller.abort();
    await c.done;
    expect(stream.stats().state).toBe("closed");
    await until(() => sim.stats().notifications.sockets === 0);

    const second = await subscribe([P]);
    publishSeq(sim, P, 1);
    for await (const event of second) {
      expect(event.eventBody).toEqual({ seq: 1 });
      break;
    }
    expect(second.stats()).toMatchObject({ state: "closed", sockets: 0, timers: 0 });
    await until(() => sim.stats().notifications.sockets === 0);
  });
});
