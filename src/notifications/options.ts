// Stream options: defaults and validation (a ConfigurationError naming the option).
import { ConfigurationError } from "../errors.js";
import type { SubscribeOptions, WebSocketConstructor } from "./types.js";

export interface ResolvedStreamOptions {
  signal: AbortSignal | undefined;
  heartbeatIntervalMs: number;
  pingTimeoutMs: number;
  connectTimeoutMs: number;
  reconnectBaseDelayMs: number;
  reconnectMaxDelayMs: number;
  renewBeforeExpiryMs: number;
  overlapMs: number;
  maxChannels: number;
  maxBufferedEvents: number;
  WebSocket: WebSocketConstructor | undefined;
}

/** Genesys's limits: topics per channel, and channels per user and app (one kept free for a replacement). */
export const TOPICS_PER_CHANNEL = 1_000;
export const MAX_CHANNELS = 19;

export function resolveStreamOptions(options: SubscribeOptions = {}): ResolvedStreamOptions {
  if (!options || typeof options !== "object") throw new ConfigurationError("subscribe options must be an object");
  const heartbeatIntervalMs = ms("heartbeatIntervalMs", options.heartbeatIntervalMs, 30_000);
  const reconnectBaseDelayMs = ms("reconnectBaseDelayMs", options.reconnectBaseDelayMs, 250);
  const resolved: ResolvedStreamOptions = {
    signal: options.signal,
    heartbeatIntervalMs,
    pingTimeoutMs: ms("pingTimeoutMs", options.pingTimeoutMs, Math.max(1, Math.round(heartbeatIntervalMs / 2))),
    connectTimeoutMs: ms("connectTimeoutMs", options.connectTimeoutMs, 10_000),
    reconnectBaseDelayMs,
    reconnectMaxDelayMs: ms("reconnectMaxDelayMs", options.reconnectMaxDelayMs, Math.max(30_000, reconnectBaseDelayMs)),
    renewBeforeExpiryMs: ms("renewBeforeExpiryMs", options.renewBeforeExpiryMs, 600_000),
    overlapMs: ms("overlapMs", options.overlapMs, 1_000, 0),
    maxChannels: int("maxChannels", options.maxChannels, 5, 1, MAX_CHANNELS),
    maxBufferedEvents: int("maxBufferedEvents", options.maxBufferedEvents, 10_000, 1, 10_000_000),
    WebSocket: options.WebSocket,
  };
  if (resolved.reconnectMaxDelayMs < resolved.reconnectBaseDelayMs) {
    throw new ConfigurationError(`reconnectMaxDelayMs (${resolved.reconnectMaxDelayMs}) must be ≥ reconnectBaseDelayMs (${resolved.reconnectBaseDelayMs})`);
  }
  if (resolved.WebSocket !== undefined && typeof resolved.WebSocket !== "function") {
    throw new ConfigurationError("WebSocket must be a WebSocket constructor (the WHATWG interface)");
  }
  if (resolved.signal !== undefined && !(typeof resolved.signal === "object" && typeof resolved.signal.addEventListener === "function")) {
    throw new ConfigurationError("signal must be an AbortSignal");
  }
  return resolved;
}

function ms(name: string, value: number | undefined, def: number, min = 1): number {
  if (value === undefined) return def;
  if (typeof value !== "number" || !Number.isFinite(value) || value < min || value > 2 ** 31 - 1) {
    throw new ConfigurationError(`${name} must be a number of ms from ${min} to ${2 ** 31 - 1} (got ${String(value)})`);
  }
  return value;
}

function int(name: string, value: number | undefined, def: number, min: number, max: number): number {
  if (value === undefined) return def;
  if (typeof value !== "number" || !Number.isInteger(value) || value < min || value > max) {
    throw new ConfigurationError(`${name} must be an integer from ${min} to ${max} (got ${String(value)})`);
  }
  return value;
}
