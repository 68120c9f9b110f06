// One channel's worth of topics (≤ 1,000) and the connection that serves them. It stays up: a lost connection is
// replaced with backoff (same channel when it still exists, subscriptions put back first); a planned replacement
// (socket_closing, channel about to expire) opens the new channel and socket before the old one is closed.
import { NotificationError } from "../errors.js";
import { decorrelatedJitterBackoff } from "../resilience/backoff.js";
import { ChannelGoneError, isPermanent, type ChannelApi, type ChannelInfo } from "./channel-api.js";
import { openConnection, type Connection } from "./connection.js";
import { createOverlapDedupe, type OverlapDedupe } from "./dedupe.js";
import type { ResolvedStreamOptions } from "./options.js";
import type { Timers } from "./timers.js";
import { HEARTBEAT_TOPIC, SOCKET_CLOSING_TOPIC } from "./topics.js";
import type { DisconnectReason, NotificationStreamEvents, ReconnectEvent, TopicEvent, WebSocketConstructor, WebSocketLike } from "./types.js";

/** What a lane shares with its stream. */
export interface LaneContext {
  api: ChannelApi;
  WebSocket: WebSocketConstructor;
  options: ResolvedStreamOptions;
  timers: Timers;
  sockets: Set<WebSocketLike>;
  /** Fires when the stream closes. */
  signal: AbortSignal;
  deliver(event: TopicEvent<string>): void;
  emit<E extends keyof NotificationStreamEvents>(name: E, event: NotificationStreamEvents[E]): void;
  /** A failure retrying cannot fix: the stream ends with it. */
  fatal(error: NotificationError): void;
  count(counter: "reconnects" | "rollovers" | "gaps" | "duplicatesDropped"): void;
}

type PlannedReason = "socket-closing" | "channel-expiring";

export class Lane {
  topics: string[];
  private channel: ChannelInfo | undefined;
  private current: Connection | undefined;
  /** The old connection while a replacement overlaps it, and the filter passing overlapping events on once. */
  private retiring: Connection | undefined;
  private dedupe: OverlapDedupe | undefined;
  private lost: { at: number; reason: DisconnectReason; topics: string[] } | undefined;
  private renewTimer: ReturnType<typeof setTimeout> | undefined;
  /** Connections being replaced (a planned replacement is requested once per connection). */
  private readonly replacing = new Set<Connection>();
  /** Deliberate closes in flight (retired connections), awaited by `close()`. */
  private readonly closing = new Set<Promise<void>>();
  private reconnecting = false;
  private tail: Promise<unknown> = Promise.resolve();
  private closed = false;

  constructor(
    private readonly ctx: LaneContext,
    topics: readonly string[],
  ) {
    this.topics = [...topics];
  }

  get connected(): boolean {
    return this.current !== undefined;
  }

  /** Channels in use: one, two while a replacement overlaps. */
  get channels(): number {
    return (this.channel ? 1 : 0) + (this.retiring ? 1 : 0);
  }

  /** First connection: one attempt; its failure is the caller's (subscribe / add). */
  start(): Promise<void> {
    return this.exclusive(async () => {
      const channel = await this.ctx.api.create(this.ctx.signal);
      const rejected = await this.ctx.api.replace(channel.id, this.topics, this.ctx.signal);
      if (rejected.length > 0) throw rejectedError(rejected);
      this.adopt(channel, await this.connect(channel));
    });
  }

  /**
   * Replaces the subscriptions with `topics`. When Genesys rejects some, the others stay subscribed and it
   * rejects with `invalid-topic` naming the rejected ones.
   */
  setTopics(topics: readonly string[]): Promise<void> {
    return this.exclusive(async () => {
      let next = [...topics];
      if (this.channel) {
        try {
          const rejected = await this.ctx.api.replace(this.channel.id, next, this.ctx.signal);
          if (rejected.length > 0) {
            const refused = new Set(rejected.map((r) => r.id));
            next = next.filter((t) => !refused.has(t));
            this.topics = next;
            await this.ctx.api.replace(this.channel.id, next, this.ctx.signal);
            throw rejectedError(rejected);
          }
        } catch (error) {
          // A channel gone while disconnected: the reconnection subscribes `next` on the new one.
          if (!(error instanceof ChannelGoneError)) throw error;
        }
      }
      this.topics = next;
    });
  }

  async close(): Promise<void> {
    this.closed = true;
    this.ctx.timers.clear(this.renewTimer);
    const open = [this.current, this.retiring].filter((c): c is Connection => c !== undefined);
    this.current = this.retiring = undefined;
    this.dedupe = undefined;
    this.channel = undefined;
    await Promise.all([...open.map((c) => c.close()), ...this.closing]);
    await this.tail; // a step in flight ends at once (the stream's signal fired) and closes what it opened
    if (this.lost) this.reportGap(Date.now());
  }

  private onMessage = (connection: Connection, text: string): void => {
    const side = connection === this.current ? 1 : connection === this.retiring ? 0 : undefined;
    if (side === undefined) return;
    let message: Partial<TopicEvent<string>>;
    try {
      message = JSON.parse(text) as Partial<TopicEvent<string>>;
    } catch {
      return; // not JSON: nothing Genesys sends
    }
    if (!message || typeof message.topicName !== "string") return; // e.g. a subscription acknowledgement
    if (message.topicName === HEARTBEAT_TOPIC) return; // heartbeat or pong: the watchdog already heard it
    if (message.topicName === SOCKET_CLOSING_TOPIC) {
      if (side === 1) void this.requestRollover("socket-closing", connection);
      return;
    }
    const event = message as TopicEvent<string>;
    if (this.dedupe && !this.dedupe.admit(side, event)) return this.ctx.count("duplicatesDropped");
    this.ctx.deliver(event);
  };

  private onLost = (connection: Connection, reason: "dropped" | "heartbeat-missed"): void => {
    if (this.closed) return;
    if (connection === this.retiring) {
      this.retiring = this.dedupe = undefined;
      return;
    }
    if (connection !== this.current) return;
    this.current = undefined;
    this.ctx.timers.clear(this.renewTimer);
    // A loss not yet reported (the replacement died at once) keeps its start: one gap covers both.
    this.lost = { at: this.lost?.at ?? connection.lastHeardAt, reason, topics: [...this.topics] };
    this.ctx.emit("disconnect", { reason, channelId: this.channel?.id ?? "", lastHeardAt: new Date(connection.lastHeardAt), topics: [...this.topics] });
    void this.reconnect();
  };

  /** Reconnects until connected: the first attempt at once, then decorrelated-jitter backoff (the resilience layer's). */
  private async reconnect(): Promise<void> {
    if (this.reconnecting) return;
    this.reconnecting = true;
    try {
      const attempts = await this.persist(
        "Reconnecting failed",
        () => !this.current,
        () => this.exclusive(() => this.reconnectOnce()),
      );
      if (attempts !== undefined && this.current && this.lost) this.reconnected(this.lost.reason, attempts);
    } finally {
      this.reconnecting = false;
    }
    if (!this.closed && !this.current && !this.ctx.signal.aborted) void this.reconnect(); // lost again meanwhile
  }

  /**
   * Runs `attempt` while `wanted()` holds until it succeeds: the first try at once, then decorrelated-jitter backoff
   * steps (the resilience layer's). A failure retrying cannot fix ends the stream; others are `error` events.
   * Resolves with the attempts made, or undefined when it stopped without success.
   */
  private async persist(what: string, wanted: () => boolean, attempt: (n: number) => Promise<void>): Promise<number | undefined> {
    const backoff = decorrelatedJitterBackoff(this.ctx.options.reconnectBaseDelayMs, this.ctx.options.reconnectMaxDelayMs);
    let attempts = 0;
    try {
      while (!this.closed && wanted()) {
        if (attempts > 0) await this.ctx.timers.sleep(backoff.next(), this.ctx.signal);
        attempts++;
        try {
          await attempt(attempts);
          return attempts;
        } catch (error) {
          if (this.closed || this.ctx.signal.aborted) return undefined;
          const failure = asNotificationError(error, what);
          if (isPermanent(failure)) return void this.ctx.fatal(failure);
          this.ctx.emit("error", failure);
        }
      }
    } catch {
      // the wait ended because the stream closed
    }
    return undefined;
  }

  private async reconnectOnce(): Promise<void> {
    if (this.closed || this.current) return;
    let channel = this.channel && !this.renewDue(this.channel) ? this.channel : await this.ctx.api.create(this.ctx.signal);
    try {
      await this.subscribe(channel, this.topics);
    } catch (error) {
      if (!(error instanceof ChannelGoneError)) throw error;
      if (this.lost) this.lost.reason = "channel-gone";
      channel = await this.ctx.api.create(this.ctx.signal);
      await this.subscribe(channel, this.topics);
    }
    this.adopt(channel, await this.connect(channel));
  }

  private reconnected(reason: DisconnectReason, attempts: number): void {
    const to = this.current!.openedAt;
    const downtimeMs = this.lost ? Math.max(0, to - this.lost.at) : 0;
    this.reportGap(to);
    this.ctx.count("reconnects");
    this.emitReconnect({ reason, attempts, downtimeMs });
  }

  private reportGap(to: number): void {
    const lost = this.lost!;
    this.lost = undefined;
    const from = new Date(lost.at);
    const until = new Date(Math.max(to, lost.at));
    this.ctx.count("gaps");
    this.ctx.emit("gap", { from, to: until, topics: lost.topics, reason: "disconnected", interval: `${from.toISOString()}/${until.toISOString()}` });
  }

  private emitReconnect(e: Pick<ReconnectEvent, "reason" | "attempts" | "downtimeMs">): void {
    this.ctx.emit("reconnect", { ...e, channelId: this.channel?.id ?? "", topics: [...this.topics] });
  }

  /** Planned replacement, retried with backoff while the old connection still works (a loss reconnects instead). */
  private async requestRollover(reason: PlannedReason, old: Connection | undefined): Promise<void> {
    if (!old || this.replacing.has(old) || this.closed) return;
    this.replacing.add(old);
    try {
      await this.persist(
        "Replacing the channel failed",
        () => this.current === old,
        (n) => this.exclusive(() => this.rollover(reason, n, old)),
      );
    } finally {
      this.replacing.delete(old);
    }
  }

  /** New channel, same topics, new socket open — then the old socket is closed after `overlapMs`. */
  private async rollover(reason: PlannedReason, attempts: number, old: Connection): Promise<void> {
    if (this.closed || this.current !== old) return; // lost or replaced meanwhile
    const channel = await this.ctx.api.create(this.ctx.signal);
    await this.subscribe(channel, this.topics);
    const next = await this.connect(channel);
    if (this.current === old) {
      this.retiring = old;
      this.dedupe = createOverlapDedupe(); // before adopt(): the new socket's held messages go through it
      this.ctx.timers.set(() => this.retire(old), this.ctx.options.overlapMs);
      this.adopt(channel, next);
      this.ctx.count("rollovers");
      this.emitReconnect({ reason, attempts, downtimeMs: 0 });
    } else {
      // The old connection was lost while the new one opened: this one ends the gap.
      this.adopt(channel, next);
      if (this.lost) this.reconnected(this.lost.reason, attempts);
    }
  }

  private retire(old: Connection): void {
    if (this.retiring !== old) return;
    this.retiring = this.dedupe = undefined;
    const closing = old.close().finally(() => this.closing.delete(closing));
    this.closing.add(closing);
  }

  private adopt(channel: ChannelInfo, connection: Connection): void {
    this.channel = channel;
    this.current = connection;
    connection.release();
    this.ctx.timers.clear(this.renewTimer);
    const now = Date.now();
    this.renewTimer = this.ctx.timers.set(() => void this.requestRollover("channel-expiring", this.current), Math.max(0, this.renewAt(channel) - now));
  }

  /** When to replace a channel: `renewBeforeExpiryMs` before it expires, at most a fifth of its lifetime before. */
  private renewAt(channel: ChannelInfo): number {
    const lifetime = channel.expiresAt - channel.createdAt;
    return channel.expiresAt - Math.min(this.ctx.options.renewBeforeExpiryMs, lifetime / 5);
  }

  private renewDue(channel: ChannelInfo): boolean {
    return Date.now() >= this.renewAt(channel);
  }

  /** Subscribes the lane's topics on a (re)connection; topics refused now (permissions changed) are dropped and reported. */
  private async subscribe(channel: ChannelInfo, topics: readonly string[]): Promise<void> {
    const rejected = await this.ctx.api.replace(channel.id, topics, this.ctx.signal);
    if (rejected.length === 0) return;
    const refused = new Set(rejected.map((r) => r.id));
    this.topics = this.topics.filter((t) => !refused.has(t));
    this.ctx.emit("error", rejectedError(rejected));
  }

  private async connect(channel: ChannelInfo): Promise<Connection> {
    const { options, timers, sockets, signal, WebSocket } = this.ctx;
    const connection = await openConnection({
      WebSocket,
      url: channel.connectUri,
      connectTimeoutMs: options.connectTimeoutMs,
      idleMs: options.heartbeatIntervalMs,
      pingTimeoutMs: options.pingTimeoutMs,
      timers,
      sockets,
      signal,
      onMessage: this.onMessage,
      onLost: this.onLost,
    });
    if (this.closed) {
      await connection.close();
      throw new NotificationError("The stream was closed while connecting.", "closed");
    }
    return connection;
  }

  /** Runs REST/connect steps of this lane one at a time (subscription changes never race a reconnection). */
  private exclusive<T>(fn: () => Promise<T>): Promise<T> {
    const run = this.tail.then(fn, fn);
    this.tail = run.catch(() => undefined);
    return run;
  }
}

function asNotificationError(error: unknown, what: string): NotificationError {
  if (error instanceof NotificationError) return error;
  const message = error instanceof Error ? error.message : String(error);
  return new NotificationError(`${what}: ${message}`, "connect-failed", undefined, { cause: error });
}

function rejectedError(rejected: { id: string; reason: string }[]): NotificationError {
  const shown = rejected.slice(0, 5).map((r) => `${r.id} (${r.reason})`);
  return new NotificationError(
    `Genesys rejected ${rejected.length} topic(s): ${shown.join(", ")}${rejected.length > 5 ? ", …" : ""}.`,
    "invalid-topic",
    rejected.map((r) => r.id),
  );
}
