// The simulator's Notifications API on its own (plain fetch, the `ws` client and raw TCP): REST shapes, the
// hand-written RFC 6455 server, heartbeats and pings, one socket per channel, eviction past 20 channels, expiry.
import { connect, type Socket } from "node:net";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { WebSocket } from "ws";
import { startSimulator, type Simulator } from "../../src/simulator/index.js";
import { call } from "./helpers.js";

let sim: Simulator;
let token: string;
beforeEach(async () => {
  sim = await startSimulator({ rateLimit: false, notifications: { heartbeatIntervalMs: 60_000 } });
  token = sim.issueToken();
});
afterEach(() => sim.close());

const json = (body: unknown): RequestInit => ({ method: "PUT", headers: { "content-type": "application/json" }, body: JSON.stringify(body) });
const createChannel = async () =>
  (await call<{ id: string; connectUri: string; expires: string }>(sim, "/api/v2/notifications/channels", token, { method: "POST" })).body;

function openWs(uri: string): Promise<{ ws: WebSocket; messages: string[]; closed: Promise<number> }> {
  return new Promise((resolve, reject) => {
    const ws = new WebSocket(uri);
    const messages: string[] = [];
    const closed = new Promise<number>((r) => ws.on("close", (code) => r(code)));
    ws.on("message", (data) => messages.push(String(data)));
    ws.once("open", () => resolve({ ws, messages, closed }));
    ws.once("error", reject);
  });
}

const until = async (condition: () => boolean) => {
  for (let i = 0; i < 2_000 && !condition(); i++) await new Promise((r) => setTimeout(r, 5));
  expect(condition()).toBe(true);
};

describe("simulator: Notifications REST", () => {
  it("creates channels (Channel shape, loopback connectUri), subscribes (ChannelTopicEntityListing), validates", async () => {
    const channel = await createChannel();
    expect(channel.connectUri).toBe(`${sim.url.replace("http", "ws")}/channels/${channel.id}`);
    expect(Date.parse(channel.expires) - Date.now()).toBeGreaterThan(86_000_000);
    const path = `/api/v2/notifications/channels/${channel.id}/subscriptions`;
    const put = await call<{ entities: { id: string; state: string }[] }>(sim, path, token, json([{ id: "v2.users.u1.presence" }]));
    expect(put.status).toBe(200);
    expect(put.body.entities).toMatchObject([{ id: "v2.users.u1.presence", state: "Permitted" }]);
    const post = await call<{ entities: { id: string }[] }>(sim, path, token, { ...json([{ id: "v2.users.u2.presence" }]), method: "POST" });
    expect(post.body.entities.map((e) => e.id)).toEqual(["v2.users.u1.presence", "v2.users.u2.presence"]);
    expect((await call(sim, path, token, json([{ id: "users.bad" }]))).status).toBe(400);
    expect((await call(sim, path, token, json(Array.from({ length: 1_001 }, (_, i) => ({ id: `v2.t.${i}` }))))).status).toBe(400);
    expect((await call(sim, `/api/v2/notifications/channels/${channel.id}`, token, { method: "HEAD" })).status).toBe(200);
    expect((await call(sim, "/api/v2/notifications/channels/nope/subscriptions", token, json([]))).status).toBe(404);
    expect((await call(sim, path, token, { method: "DELETE" })).status).toBe(204);
    expect(sim.stats().notifications.subscriptions[channel.id]).toEqual([]);
  });

  it("rejected topics: 403 without ignoreErrors, state Rejected with it", async () => {
    sim.configure({ notifications: { rejectTopics: ["v2.users.*.secret"] } });
    const { id } = await createChannel();
    const path = `/api/v2/notifications/channels/${id}/subscriptions`;
    expect((await call(sim, path, token, json([{ id: "v2.users.x.secret" }]))).status).toBe(403);
    const ok = await call<{ entities: { id: string; state: string }[] }>(
      sim,
      `${path}?ignoreErrors=true`,
      token,
      json([{ id: "v2.users.x.secret" }, { id: "v2.a.b" }]),
    );
    expect(ok.body.entities).toMatchObject([
      { id: "v2.a.b", state: "Permitted" },
      { id: "v2.users.x.secret", state: "Rejected" },
    ]);
  });

  it("a 21st channel evicts the least recently used one without a socket", async () => {
    const ids: string[] = [];
    for (let i = 0; i < 20; i++) ids.push((await createChannel()).id);
    const { ws } = await openWs(`${sim.url.replace("http", "ws")}/channels/${ids[0]}`);
    await createChannel();
    const list = (await call<{ entities: { id: string }[] }>(sim, "/api/v2/notifications/channels", token)).body.entities.map((c) => c.id);
    expect(list).toHaveLength(20);
    expect(list).toContain(ids[0]); // connected: kept
    expect(list).not.toContain(ids[1]);
    ws.close();
  });
});

describe("simulator: WebSocket (RFC 6455 by hand)", () => {
  it("heartbeats, answers {message: ping} and protocol pings, delivers published events, a second socket drops the first", async () => {
    sim.configure({ notifications: { heartbeatIntervalMs: 30 } });
    const { id, connectUri } = await createChannel();
    await call(sim, `/api/v2/notifications/channels/${id}/subscriptions`, token, json([{ id: "v2.users.u1.presence" }]));
    const a = await openWs(connectUri);
    await until(() => a.messages.some((m) => m.includes("WebSocket Heartbeat")));
    expect(JSON.parse(a.messages[0])).toEqual({ topicName: "channel.metadata", eventBody: { message: "WebSocket Heartbeat" } });
    a.ws.send(JSON.stringify({ message: "ping" }));
    await until(() => a.messages.some((m) => m.includes("pong")));
    const pong = new Promise<Buffer>((r) => a.ws.once("pong", r));
    a.ws.ping("abc");
    expect(String(await pong)).toBe("abc");
    expect(sim.publish("v2.users.u1.presence", { seq: 1 })).toBe(1);
    await until(() => a.messages.some((m) => m.includes('"seq":1')));
    expect(JSON.parse(a.messages.find((m) => m.includes('"seq":1'))!)).toMatchObject({
      topicName: "v2.users.u1.presence",
      version: "2",
      eventBody: { seq: 1 },
    });

    const b = await openWs(connectUri);
    expect(await a.closed).toBe(1000);
    expect(sim.stats().notifications.connections.map((c) => c.closedBy)).toEqual(["replaced", undefined]);
    b.ws.close();
    await until(() => sim.stats().notifications.sockets === 0);
  });

  it("faults: drop (no close frame: 1006), socket_closing then close after the grace, expiry (404 afterwards)", async () => {
    sim.configure({ notifications: { socketClosingGraceMs: 20 } });
    const { id, connectUri } = await createChannel();
    const a = await openWs(connectUri);
    expect(sim.notificationFault("drop")).toBe(1);
    expect(await a.closed).toBe(1006);
    const b = await openWs(connectUri);
    sim.notificationFault("socket-closing");
    expect(await b.closed).toBe(1001);
    expect(JSON.parse(b.messages[0])).toMatchObject({ topicName: "v2.system.socket_closing" });
    const c = await openWs(connectUri);
    sim.notificationFault("expire");
    await c.closed;
    expect((await call(sim, `/api/v2/notifications/channels/${id}`, token, { method: "HEAD" })).status).toBe(404);
    await expect(openWs(connectUri)).rejects.toThrow(/404/);
    expect(sim.stats().notifications.connections.map((r) => r.closedBy)).toEqual(["drop", "socket-closing", "expiry"]);
  });

  it("handles fragmented masked text, refuses unmasked frames (1002) and bad handshakes (400)", async () => {
    const { connectUri } = await createChannel();
    const { port } = new URL(connectUri);
    const path = new URL(connectUri).pathname;
    const raw = await rawUpgrade(Number(port), path);
    expect(raw.head).toContain("101 Switching Protocols");
    // "ping" as two masked fragments → the server answers with a pong text frame.
    raw.socket.write(Buffer.concat([maskedFrame(0x1, false, '{"message":'), maskedFrame(0x0, true, '"ping"}')]));
    await until(() => raw.received().includes("pong"));
    // An unmasked frame is a protocol error: close frame with 1002.
    raw.socket.write(Buffer.from([0x81, 0x02, 0x68, 0x69]));
    await until(() => raw.closeCode() === 1002);
    raw.socket.destroy();

    const bad = await rawRequest(
      Number(port),
      `GET ${path} HTTP/1.1\r\nHost: x\r\nUpgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Version: 13\r\n\r\n`,
    );
    expect(bad).toContain("400 Bad Request");
  });
});

function maskedFrame(opcode: number, fin: boolean, text: string): Buffer {
  const payload = Buffer.from(text);
  const mask = Buffer.from([1, 2, 3, 4]);
  const masked = Buffer.from(payload.map((b, i) => b ^ mask[i & 3]));
  return Buffer.concat([Buffer.from([(fin ? 0x80 : 0) | opcode, 0x80 | payload.length]), mask, masked]);
}

async function rawUpgrade(port: number, path: string) {
  const socket: Socket = connect(port, "127.0.0.1");
  let data = Buffer.alloc(0);
  socket.on("data", (d: Buffer) => (data = Buffer.concat([data, d])));
  socket.write(
    `GET ${path} HTTP/1.1\r\nHost: 127.0.0.1\r\nUpgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Key: ${Buffer.alloc(16, 7).toString("base64")}\r\nSec-WebSocket-Version: 13\r\n\r\n`,
  );
  await until(() => data.includes("\r\n\r\n"));
  const headEnd = data.indexOf("\r\n\r\n") + 4;
  const frames = () => data.subarray(headEnd);
  return {
    socket,
    head: data.subarray(0, headEnd).toString(),
    received: () => frames().toString("utf8"),
    closeCode: () => {
      const f = frames();
      for (let i = 0; i + 3 < f.length; ) {
        const len = f[i + 1] & 0x7f;
        if ((f[i] & 0x0f) === 0x8) return f.readUInt16BE(i + 2);
        i += 2 + len;
      }
      return undefined;
    },
  };
}

function rawRequest(port: number, text: string): Promise<string> {
  return new Promise((resolve) => {
    const socket = connect(port, "127.0.0.1", () => socket.write(text));
    let out = "";
    socket.on("data", (d) => (out += String(d)));
    socket.on("close", () => resolve(out));
  });
}
