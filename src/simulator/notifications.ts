// The simulator's Notifications API state: channels (per token, 24 h-like lifetime, eviction past 20), their
// subscriptions, one WebSocket per channel (a second drops the first), heartbeats, and the faults on a timer —
// drops, `socket_closing`, expiry. `publish()` writes a topic event to every open socket subscribed to it.
import { randomUUID } from "node:crypto";
import type { IncomingMessage } from "node:http";
import type { Duplex } from "node:stream";
import type { ResolvedNotificationOptions } from "./notification-options.js";
import { acceptWebSocket, refuseUpgrade, type SimWebSocket } from "./websocket.js";

/** Why a socket ended, in the simulator's record. */
export type SocketCloseCause = "client" | "drop" | "stall" | "socket-closing" | "expiry" | "replaced" | "evicted" | "server-close";

/** One WebSocket connection as the simulator saw it (times are epoch ms, `Date.now()`). */
export interface SimConnection {
  channelId: string;
  openedAt: number;
  /** When the server stopped delivering on it (dropped, stalled, closed), or undefined while open. */
  closedAt?: number;
  closedBy?: SocketCloseCause;
  /** When the last frame (event or heartbeat) was written to it. */
  lastSentAt?: number;
  /** Topic events written to it. */
  events: number;
}

export interface NotificationSimStats {
  /** Channels that exist now. */
  channels: number;
  /** WebSockets whose TCP connection is still open (stalled ones included). */
  sockets: number;
  socketsOpened: number;
  channelsCreated: number;
  /** `publish()` calls. */
  published: number;
  /** Topic events written to sockets (one publish reaching two sockets counts two). */
  delivered: number;
  heartbeats: number;
  /** `{"message":"ping"}` answered with a pong. */
  pings: number;
  /** Every connection, oldest first (the latest 10 000). */
  connections: SimConnection[];
  /** The topics of every existing channel. */
  subscriptions: Record<string, string[]>;
}

interface Channel {
  id: string;
  owner: string;
  createdAt: number;
  expiresAt: number;
  lastUsed: number;
  topics: Set<string>;
  socket?: { ws: SimWebSocket; record: SimConnection; heartbeat: NodeJS.Timeout; closing?: NodeJS.Timeout };
  expiry: NodeJS.Timeout;
}

const MAX_RECORDS = 10_000;

export interface NotificationHub {
  setOrigin(httpOrigin: string): void;
  configure(options: ResolvedNotificationOptions): void;
  createChannel(owner: string): { id: string; connectUri: string; expires: string };
  listChannels(owner: string): { id: string; connectUri: string; expires: string }[];
  hasChannel(id: string): boolean;
  /** The channel's topics, or undefined when it does not exist. */
  topics(id: string): string[] | undefined;
  setTopics(id: string, topics: string[]): void;
  upgrade(req: IncomingMessage, socket: Duplex, head: Buffer): void;
  publish(topic: string, body: unknown): number;
  /** Applies a fault to every open socket now. */
  fault(kind: "drop" | "stall" | "socket-closing" | "expire"): number;
  stats(): NotificationSimStats;
  resetStats(): void;
  close(): void;
  options(): ResolvedNotificationOptions;
}

export function createNotificationHub(initial: ResolvedNotificationOptions): NotificationHub {
  let options = initial;
  let origin = "ws://127.0.0.1";
  const channels = new Map<string, Channel>();
  let counter = 0;
  let records: SimConnection[] = [];
  let counts = { socketsOpened: 0, channelsCreated: 0, published: 0, delivered: 0, heartbeats: 0, pings: 0 };
  const liveSockets = new Set<SimWebSocket>();
  let dropTimer: NodeJS.Timeout | undefined;
  let closingTimer: NodeJS.Timeout | undefined;

  const view = (c: Channel) => ({
    id: c.id,
    connectUri: `${options.connectUriOrigin ?? origin}/channels/${c.id}`,
    expires: new Date(c.expiresAt).toISOString(),
  });

  function schedule(): void {
    if (dropTimer) clearInterval(dropTimer);
    if (closingTimer) clearInterval(closingTimer);
    dropTimer = closingTimer = undefined;
    if (options.dropIntervalMs !== false) dropTimer = setInterval(() => fault(options.dropKind === "silent" ? "stall" : "drop"), options.dropIntervalMs);
    if (options.socketClosingIntervalMs !== false) closingTimer = setInterval(() => fault("socket-closing"), options.socketClosingIntervalMs);
  }

  function endSocket(channel: Channel, cause: SocketCloseCause, how: "close" | "drop" | "stall"): void {
    const s = channel.socket;
    if (!s) return;
    channel.socket = undefined;
    clearInterval(s.heartbeat);
    if (s.closing) clearTimeout(s.closing);
    s.record.closedAt ??= Date.now();
    s.record.closedBy ??= cause;
    if (how === "drop") s.ws.drop();
    else if (how === "stall") s.ws.stall();
    else s.ws.close(cause === "socket-closing" ? 1001 : 1000, cause);
  }

  function removeChannel(channel: Channel, cause: SocketCloseCause): void {
    endSocket(channel, cause, "close");
    clearTimeout(channel.expiry);
    channels.delete(channel.id);
  }

  function send(channel: Channel, message: unknown): boolean {
    const s = channel.socket;
    if (!s?.ws.sendText(JSON.stringify(message))) return false;
    s.record.lastSentAt = Date.now();
    return true;
  }

  function fault(kind: "drop" | "stall" | "socket-closing" | "expire"): number {
    let n = 0;
    for (const channel of [...channels.values()]) {
      if (!channel.socket?.ws.open) continue;
      n++;
      if (kind === "drop") endSocket(channel, "drop", "drop");
      else if (kind === "stall") endSocket(channel, "stall", "stall");
      else if (kind === "expire") removeChannel(channel, "expiry");
      else if (!channel.socket.closing) {
        send(channel, {
          topicName: "v2.system.socket_closing",
          version: "2",
          eventBody: { message: "The socket is closing for maintenance; reconnect.", channelId: channel.id },
        });
        channel.socket.closing = setTimeout(() => endSocket(channel, "socket-closing", "close"), options.socketClosingGraceMs);
      }
    }
    return n;
  }

  function onText(channel: Channel, ws: SimWebSocket, text: string): void {
    if (channel.socket?.ws !== ws) return;
    let message: { message?: unknown };
    try {
      message = JSON.parse(text) as { message?: unknown };
    } catch {
      return;
    }
    if (message?.message === "ping") {
      counts.pings++;
      send(channel, { topicName: "channel.metadata", eventBody: { message: "pong" } });
    }
  }

  const hub: NotificationHub = {
    setOrigin(httpOrigin) {
      origin = httpOrigin.replace(/^http/, "ws");
    },
    configure(next) {
      const timing =
        next.dropIntervalMs !== options.dropIntervalMs ||
        next.socketClosingIntervalMs !== options.socketClosingIntervalMs ||
        next.dropKind !== options.dropKind;
      const heartbeat = next.heartbeatIntervalMs !== options.heartbeatIntervalMs;
      options = next;
      if (timing) schedule();
      if (heartbeat) {
        for (const channel of channels.values()) {
          if (!channel.socket) continue;
          clearInterval(channel.socket.heartbeat);
          channel.socket.heartbeat = heartbeatTimer(channel);
        }
      }
    },
    createChannel(owner) {
      const mine = [...channels.values()].filter((c) => c.owner === owner);
      if (mine.length >= options.maxChannels) {
        // Genesys: the channel used least recently goes, those without an active connection first.
        mine.sort((a, b) => Number(!!a.socket) - Number(!!b.socket) || a.lastUsed - b.lastUsed);
        removeChannel(mine[0], "evicted");
      }
      const now = Date.now();
      const id = `streaming-${++counter}-${randomUUID().replace(/-/g, "").slice(0, 24)}`;
      const channel: Channel = {
        id,
        owner,
        createdAt: now,
        expiresAt: now + options.channelLifetimeMs,
        lastUsed: now,
        topics: new Set(),
        expiry: undefined as never,
      };
      channel.expiry = setTimeout(() => removeChannel(channel, "expiry"), options.channelLifetimeMs);
      channels.set(id, channel);
      counts.channelsCreated++;
      return view(channel);
    },
    listChannels: (owner) => [...channels.values()].filter((c) => c.owner === owner).map(view),
    hasChannel: (id) => channels.has(id),
    topics: (id) => {
      const c = channels.get(id);
      return c ? [...c.topics] : undefined;
    },
    setTopics(id, topics) {
      const c = channels.get(id);
      if (!c) return;
      c.topics = new Set(topics);
      c.lastUsed = Date.now();
    },
    upgrade(req, socket, head) {
      const path = new URL(req.url ?? "/", "http://127.0.0.1").pathname;
      const match = /^\/channels\/([^/]+)$/.exec(path);
      const channel = match ? channels.get(decodeURIComponent(match[1])) : undefined;
      if (!channel)
        return refuseUpgrade(socket, 404, match ? "The channel does not exist (expired or removed)." : `No WebSocket endpoint at ${path.slice(0, 100)}.`);
      // One connection per channel: a second one drops the first.
      endSocket(channel, "replaced", "close");
      let ws: SimWebSocket | undefined;
      const record: SimConnection = { channelId: channel.id, openedAt: Date.now(), events: 0 };
      ws = acceptWebSocket(req, socket, head, {
        onText: (text) => onText(channel, ws!, text),
        onClose: () => {
          liveSockets.delete(ws!);
          if (channel.socket?.ws === ws) endSocket(channel, "client", "close");
          record.closedAt ??= Date.now();
          record.closedBy ??= "client";
        },
      });
      if (!ws) return;
      liveSockets.add(ws);
      counts.socketsOpened++;
      if (records.length >= MAX_RECORDS) records = records.slice(MAX_RECORDS / 2);
      records.push(record);
      channel.lastUsed = Date.now();
      channel.socket = { ws, record, heartbeat: undefined as never };
      channel.socket.heartbeat = heartbeatTimer(channel);
    },
    publish(topic, body) {
      counts.published++;
      const message = { topicName: topic, version: "2", eventBody: body, metadata: { CorrelationId: randomUUID() } };
      let n = 0;
      for (const channel of channels.values()) {
        if (!channel.topics.has(topic) || !send(channel, message)) continue;
        channel.socket!.record.events++;
        n++;
      }
      counts.delivered += n;
      return n;
    },
    fault,
    stats: () => ({
      channels: channels.size,
      sockets: liveSockets.size,
      ...counts,
      connections: records.map((r) => ({ ...r })),
      subscriptions: Object.fromEntries([...channels.values()].map((c) => [c.id, [...c.topics]])),
    }),
    resetStats() {
      counts = { socketsOpened: 0, channelsCreated: 0, published: 0, delivered: 0, heartbeats: 0, pings: 0 };
      records = records.filter((r) => r.closedAt === undefined);
    },
    close() {
      if (dropTimer) clearInterval(dropTimer);
      if (closingTimer) clearInterval(closingTimer);
      for (const channel of [...channels.values()]) removeChannel(channel, "server-close");
      for (const ws of liveSockets) ws.destroy();
    },
    options: () => options,
  };

  function heartbeatTimer(channel: Channel): NodeJS.Timeout {
    return setInterval(() => {
      if (send(channel, { topicName: "channel.metadata", eventBody: { message: "WebSocket Heartbeat" } })) counts.heartbeats++;
    }, options.heartbeatIntervalMs);
  }

  schedule();
  return hub;
}
