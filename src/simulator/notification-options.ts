// Options of the simulator's Notifications API (all times in ms, so tests can run Genesys's timings in seconds).
import { ConfigurationError } from "../errors.js";

export interface NotificationSimOptions {
  /** Interval of the `channel.metadata` "WebSocket Heartbeat" on every socket. Default 30_000 (Genesys). */
  heartbeatIntervalMs?: number;
  /** Every this many ms, every open socket is dropped (see `dropKind`); `false`: never. Default false. */
  dropIntervalMs?: number | false;
  /**
   * How a drop looks: `"reset"` ends the TCP connection without a close frame (after what was written; the client
   * sees 1006); `"silent"` makes the socket go dead (nothing more sent or answered, TCP left open), which only a
   * ping timeout detects. Default "reset".
   */
  dropKind?: "reset" | "silent";
  /** Every this many ms, every open socket gets `v2.system.socket_closing`; `false`: never. Default false. */
  socketClosingIntervalMs?: number | false;
  /** How long after `socket_closing` the socket is closed (Genesys: about a minute). Default 60_000. */
  socketClosingGraceMs?: number;
  /** A channel's lifetime: its `expires`, after which its socket is closed and the channel is gone (404). Default 86_400_000 (24 h). */
  channelLifetimeMs?: number;
  /** Channels per token (Genesys: 20 per user and app); a 21st evicts the least recently used, those without a socket first. Default 20. */
  maxChannels?: number;
  /** Topics per channel (Genesys: 1,000); more answer 400. Default 1000. */
  maxTopicsPerChannel?: number;
  /** Topic patterns (`*` = any characters) refused as if a permission were missing: `Rejected` with `?ignoreErrors=true`, else 403. Default none. */
  rejectTopics?: string[];
  /** Origin of the channels' `connectUri` (e.g. `wss://streaming.evil.example`) to test foreign-host handling. Default the simulator's own `ws://127.0.0.1:<port>`. */
  connectUriOrigin?: string;
}

export interface ResolvedNotificationOptions {
  heartbeatIntervalMs: number;
  dropIntervalMs: number | false;
  dropKind: "reset" | "silent";
  socketClosingIntervalMs: number | false;
  socketClosingGraceMs: number;
  channelLifetimeMs: number;
  maxChannels: number;
  maxTopicsPerChannel: number;
  rejectTopics: string[];
  connectUriOrigin: string | undefined;
}

export const NOTIFICATION_DEFAULTS: ResolvedNotificationOptions = {
  heartbeatIntervalMs: 30_000,
  dropIntervalMs: false,
  dropKind: "reset",
  socketClosingIntervalMs: false,
  socketClosingGraceMs: 60_000,
  channelLifetimeMs: 86_400_000,
  maxChannels: 20,
  maxTopicsPerChannel: 1_000,
  rejectTopics: [],
  connectUriOrigin: undefined,
};

const NAMES = new Set(Object.keys(NOTIFICATION_DEFAULTS));
const MAX_MS = 2 ** 31 - 1;

/** Merges `patch` over `base` (a partial patch keeps the other fields) and validates the result. */
export function resolveNotificationOptions(base: ResolvedNotificationOptions, patch: NotificationSimOptions | undefined): ResolvedNotificationOptions {
  if (patch === undefined) return base;
  if (!patch || typeof patch !== "object") throw new ConfigurationError("notifications must be an object of notification options");
  for (const key of Object.keys(patch)) {
    if (!NAMES.has(key)) throw new ConfigurationError(`Unknown notifications option "${key}". Known: ${[...NAMES].join(", ")}`);
  }
  const defined = Object.fromEntries(Object.entries(patch).filter(([key, value]) => value !== undefined || key === "connectUriOrigin"));
  const o: ResolvedNotificationOptions = { ...base, ...defined };
  ms("heartbeatIntervalMs", o.heartbeatIntervalMs);
  if (o.dropIntervalMs !== false) ms("dropIntervalMs", o.dropIntervalMs);
  if (o.dropKind !== "reset" && o.dropKind !== "silent")
    throw new ConfigurationError(`notifications.dropKind must be "reset" or "silent" (got ${show(o.dropKind)})`);
  if (o.socketClosingIntervalMs !== false) ms("socketClosingIntervalMs", o.socketClosingIntervalMs);
  ms("socketClosingGraceMs", o.socketClosingGraceMs);
  ms("channelLifetimeMs", o.channelLifetimeMs);
  int("maxChannels", o.maxChannels, 1, 1_000);
  int("maxTopicsPerChannel", o.maxTopicsPerChannel, 1, 100_000);
  if (!Array.isArray(o.rejectTopics) || o.rejectTopics.some((t) => typeof t !== "string" || t === "")) {
    throw new ConfigurationError("notifications.rejectTopics must be an array of non-empty topic patterns");
  }
  if (o.connectUriOrigin !== undefined) o.connectUriOrigin = checkWsOrigin(o.connectUriOrigin);
  return { ...o, rejectTopics: [...o.rejectTopics] };
}

function checkWsOrigin(value: string): string {
  try {
    const url = new URL(value);
    if (url.protocol === "ws:" || url.protocol === "wss:") return url.origin;
  } catch {
    // reported below
  }
  throw new ConfigurationError(`notifications.connectUriOrigin must be a ws(s) origin such as "wss://streaming.example.com" (got ${show(value)})`);
}

function ms(name: string, value: unknown): void {
  if (typeof value !== "number" || !Number.isFinite(value) || value < 1 || value > MAX_MS) {
    throw new ConfigurationError(`notifications.${name} must be a number of ms from 1 to ${MAX_MS} (got ${show(value)})`);
  }
}

function int(name: string, value: unknown, min: number, max: number): void {
  if (typeof value !== "number" || !Number.isInteger(value) || value < min || value > max) {
    throw new ConfigurationError(`notifications.${name} must be an integer from ${min} to ${max} (got ${show(value)})`);
  }
}

function show(value: unknown): string {
  return typeof value === "string" ? `"${value}"` : (JSON.stringify(value) ?? String(value));
}
