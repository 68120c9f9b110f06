// Public types of `gc.notifications`: topic names, events, stream options and the stream itself.
import type { NotificationError } from "../errors.js";

/**
 * Topic families whose names are known (from Genesys's available topics). Any other `v2.…` topic is accepted
 * too (`TopicName`); these only document the common ones.
 */
export type KnownTopic =
  | `v2.users.${string}.presence`
  | `v2.users.${string}.routingStatus`
  | `v2.users.${string}.conversations`
  | `v2.users.${string}.conversationsummary`
  | `v2.users.${string}.activity`
  | `v2.users.${string}.station`
  | `v2.users.${string}.outofoffice`
  | `v2.routing.queues.${string}.conversations`
  | `v2.routing.queues.${string}.users`
  | `v2.routing.queues.${string}.conversations.${string}`
  | `v2.analytics.queues.${string}.observations`
  | `v2.analytics.users.${string}.aggregates`
  | `v2.detail.events.conversation.${string}.${string}`
  | `v2.conversations.${string}.transcription`
  | `v2.flows.${string}`;

/** A Genesys topic name: one of the known families or any other `v2.…` topic. */
export type TopicName = KnownTopic | `v2.${string}`;

/**
 * A map from topic (a template literal) to its `eventBody` type, to type a stream's events:
 * `interface Topics { [topic: \`v2.users.${string}.presence\`]: Presence }` then `subscribe<Topics>([...])`.
 * Without one, `eventBody` is `unknown`.
 */
export type TopicMap = object;

/** One event of a subscribed topic, as Genesys sends it. */
export interface TopicEvent<T extends string = TopicName, B = unknown> {
  topicName: T;
  /** Version of the topic's schema, e.g. `"2"`. */
  version: string;
  eventBody: B;
  /** Genesys's metadata, e.g. `{ CorrelationId }`. */
  metadata?: Record<string, unknown>;
}

type MapKeys<M> = Extract<keyof M, string>;

/** The topics a stream accepts: the map's keys, or any `TopicName` without a map. */
export type TopicOf<M extends TopicMap> = [MapKeys<M>] extends [never] ? TopicName : MapKeys<M>;

/** The events a stream yields: one `TopicEvent` per key of the map (narrow with `event.topicName === …`). */
export type EventOf<M extends TopicMap> = [MapKeys<M>] extends [never]
  ? TopicEvent<TopicName, unknown>
  : { [K in MapKeys<M>]: TopicEvent<K, M[K]> }[MapKeys<M>];

/** Why a connection went away. */
export type DisconnectReason =
  /** The socket closed or failed without being asked to. */
  | "dropped"
  /** No heartbeat and no answer to a ping in time: the socket was dead and is replaced. */
  | "heartbeat-missed"
  /** The channel was gone (expired, or evicted by a 21st channel) when reconnecting. */
  | "channel-gone";

/** Events were missed on `topics` between `from` and `to`: backfill them from the REST API. */
export interface GapEvent {
  /** The last moment the stream heard from the server before the connection was lost (or the first event dropped). */
  from: Date;
  /** When the replacement connection was open and subscribed (or the last event dropped). */
  to: Date;
  /** The topics of the lost connection (every topic when there is one channel). */
  topics: string[];
  /** `disconnected`: no connection; `overflow`: events dropped because the consumer fell more than `maxBufferedEvents` behind. */
  reason: "disconnected" | "overflow";
  /** ISO 8601 interval `from/to`, as Genesys's analytics queries take it. */
  interval: string;
}

/** A connection was replaced: after a loss (its `gap` is emitted just before), or planned on `socket_closing` / before the channel expires (gapless). */
export interface ReconnectEvent {
  /** `dropped`, `heartbeat-missed`, `channel-gone`: after a loss; `socket-closing`, `channel-expiring`: planned, gapless when it worked. */
  reason: DisconnectReason | "socket-closing" | "channel-expiring";
  /** The channel now connected. */
  channelId: string;
  /** Attempts this reconnection took (1 when the first one worked). */
  attempts: number;
  /** ms without a connection (0 for a gapless replacement). */
  downtimeMs: number;
  topics: string[];
}

/** The connection of a channel was lost; a `gap` and a `reconnect` follow when it is back. */
export interface DisconnectEvent {
  reason: DisconnectReason;
  channelId: string;
  /** The last moment the stream heard from the server on it. */
  lastHeardAt: Date;
  topics: string[];
}

export interface NotificationStreamEvents {
  gap: GapEvent;
  reconnect: ReconnectEvent;
  disconnect: DisconnectEvent;
  /** Something went wrong that the stream works around (a failed reconnection attempt, …); a fatal one also ends the iteration. */
  error: NotificationError;
}

/** Counters of a stream, for monitoring and leak checks. */
export interface NotificationStreamStats {
  state: "connecting" | "connected" | "reconnecting" | "closed";
  /** Channels in use (one per 1,000 topics; two for one during a replacement). */
  channels: number;
  /** WebSockets not yet closed. */
  sockets: number;
  /** Timers and waits of the stream still pending (0 after `close()`). */
  timers: number;
  topics: number;
  reconnects: number;
  /** Planned replacements (socket_closing, channel expiry). */
  rollovers: number;
  gaps: number;
  /** Events handed to the iterator. */
  delivered: number;
  /** Events received on both sockets while a replacement overlapped, passed on once. */
  duplicatesDropped: number;
  /** Events waiting for the consumer. */
  buffered: number;
}

/** The WHATWG `WebSocket` constructor (browsers, Node 22+, Deno, Bun — and the `ws` package). */
export type WebSocketConstructor = new (url: string) => WebSocketLike;

/** The part of the WHATWG WebSocket interface the stream uses. */
export interface WebSocketLike {
  readonly readyState: number;
  send(data: string): void;
  close(code?: number, reason?: string): void;
  addEventListener(type: "open" | "close" | "error" | "message", listener: (event: WebSocketEventLike) => void): void;
  removeEventListener(type: "open" | "close" | "error" | "message", listener: (event: WebSocketEventLike) => void): void;
}

/** The fields of WebSocket events the stream reads (`message`: `data`; `close`: `code`, `reason`). */
export interface WebSocketEventLike {
  readonly data?: unknown;
  readonly code?: number;
  readonly reason?: string;
}

export interface SubscribeOptions {
  /** Closes the stream when it fires (as `close()`). @default undefined (none) */
  signal?: AbortSignal;
  /** The server's heartbeat interval in ms: after this long without any message the stream pings. @default 30_000 */
  heartbeatIntervalMs?: number;
  /** How long to wait for the answer to a ping before the socket counts as dead and is replaced. @default heartbeatIntervalMs / 2 */
  pingTimeoutMs?: number;
  /** How long a WebSocket may take to open before the attempt counts as failed. @default 10_000 */
  connectTimeoutMs?: number;
  /** First reconnection backoff step (the first attempt is immediate); steps grow ~×2 with decorrelated jitter. @default 250 */
  reconnectBaseDelayMs?: number;
  /** Largest reconnection backoff step. @default 30_000 */
  reconnectMaxDelayMs?: number;
  /** A channel is replaced this long before it expires (at most a fifth of its lifetime). @default 600_000 (10 min of 24 h) */
  renewBeforeExpiryMs?: number;
  /** During a planned replacement both sockets stay open this long (events seen on both are passed on once). @default 1_000 */
  overlapMs?: number;
  /** Channels the stream may use (1,000 topics each); more topics throw `NotificationError` (`too-many-topics`). Genesys allows 20 per user and app. @default 5 */
  maxChannels?: number;
  /** Events kept for a consumer that falls behind; past it the oldest are dropped and reported as an `overflow` gap. @default 10_000 */
  maxBufferedEvents?: number;
  /** The WebSocket implementation. @default globalThis.WebSocket, else the `ws` package (loaded on first use) */
  WebSocket?: WebSocketConstructor;
}

/**
 * A live subscription to Genesys notification topics that stays up: iterate it for events; it reconnects,
 * renews channels before they expire and reports every interval it could not listen as a `gap`.
 */
// biome-ignore lint/complexity/noBannedTypes: the empty topic map (no event types given).
export interface NotificationStream<M extends TopicMap = {}> extends AsyncIterable<EventOf<M>> {
  /** Subscribes to an event of the stream; returns an unsubscribe function. */
  on<E extends keyof NotificationStreamEvents>(name: E, listener: (event: NotificationStreamEvents[E]) => void): () => void;
  /** Adds topics (resolves when Genesys confirmed them). */
  add(topics: readonly TopicOf<M>[]): Promise<void>;
  /** Removes topics (resolves when Genesys confirmed it); their events stop at once. */
  remove(topics: readonly TopicOf<M>[]): Promise<void>;
  /** Closes every socket, clears every timer and ends the iteration. Idempotent. */
  close(): Promise<void>;
  /** The topics subscribed now. */
  readonly topics: readonly string[];
  stats(): NotificationStreamStats;
}

/** `gc.notifications`. */
export interface Notifications {
  /**
   * Creates a channel (several for more than 1,000 topics), subscribes `topics`, connects and resolves once
   * connected: `const stream = await gc.notifications.subscribe(["v2.users.u1.presence"], { signal })`.
   * Rejects with `NotificationError` (bad topics, foreign `connectUri`, no WebSocket implementation) or the
   * REST call's `GenesysApiError`.
   */
  // biome-ignore lint/complexity/noBannedTypes: the empty topic map (no event types given).
  subscribe<M extends TopicMap = {}>(topics: readonly TopicOf<M>[], options?: SubscribeOptions): Promise<NotificationStream<M>>;
}
