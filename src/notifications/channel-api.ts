// The Notifications REST calls, made through the client's ordinary typed calls (auth, retries, rate limiting).
import type { GenesysClient } from "../client.js";
import { GenesysApiError, NotificationError } from "../errors.js";

/** What the stream needs of the client: its typed calls. */
export type NotificationsClient = Pick<GenesysClient, "POST" | "PUT">;

export interface ChannelInfo {
  id: string;
  /** Checked against the streaming host before it is returned. */
  connectUri: string;
  createdAt: number;
  /** Epoch ms when Genesys expires the channel (24 h after creation). */
  expiresAt: number;
}

export interface ChannelApi {
  create(signal: AbortSignal): Promise<ChannelInfo>;
  /** Replaces the channel's subscriptions; returns the topics Genesys rejected (missing permissions). Throws `ChannelGoneError` on 404. */
  replace(channelId: string, topics: readonly string[], signal: AbortSignal): Promise<{ id: string; reason: string }[]>;
}

/** The channel no longer exists (expired, or evicted by a 21st channel): create another. */
export class ChannelGoneError extends Error {
  override name = "ChannelGoneError";
}

const DAY_MS = 86_400_000;

export function createChannelApi(client: NotificationsClient, checkUri: (uri: unknown) => string): ChannelApi {
  return {
    async create(signal) {
      // A repeated POST creates at most one spare channel, which Genesys evicts first (it has no connection).
      const { data, error } = await client.POST("/api/v2/notifications/channels", { signal, resilience: { idempotent: true } });
      if (error) throw failed("POST /api/v2/notifications/channels", error);
      if (!data?.id) throw new NotificationError("POST /api/v2/notifications/channels answered without a channel id.", "connect-failed");
      const connectUri = checkUri(data.connectUri);
      const createdAt = Date.now();
      const expires = data.expires ? Date.parse(data.expires) : Number.NaN;
      // No usable expiry (or a clock far off): assume Genesys's 24 h.
      const expiresAt = Number.isFinite(expires) && expires > createdAt && expires - createdAt <= 2 * DAY_MS ? expires : createdAt + DAY_MS;
      return { id: data.id, connectUri, createdAt, expiresAt };
    },
    async replace(channelId, topics, signal) {
      const { data, error } = await client.PUT("/api/v2/notifications/channels/{channelId}/subscriptions", {
        params: { path: { channelId }, query: { ignoreErrors: true } },
        body: topics.map((id) => ({ id })),
        signal,
      });
      if (error?.status === 404) throw new ChannelGoneError(`Channel ${channelId} no longer exists`);
      if (error) throw failed("PUT /api/v2/notifications/channels/{channelId}/subscriptions", error, topics);
      return (data?.entities ?? [])
        .filter((t) => t.state === "Rejected" && typeof t.id === "string")
        .map((t) => ({ id: t.id as string, reason: t.rejectionReason ?? "rejected" }));
    },
  };
}

/** A REST failure as the stream reports it; `cause` is the `GenesysApiError` (or network/resilience error). */
function failed(call: string, error: unknown, topics?: readonly string[]): Error {
  if (error instanceof GenesysApiError && error.status === 400 && topics) {
    return new NotificationError(`Genesys refused the subscriptions: ${error.message}`, "invalid-topic", topics, { cause: error });
  }
  if (error instanceof GenesysApiError) return new NotificationError(`${call} failed: ${error.message}`, "connect-failed", undefined, { cause: error });
  return error instanceof Error ? error : new Error(String(error));
}

/** Errors retrying cannot fix: the stream ends with them. Anything else (5xx, 429, network, timeouts) is retried. */
export function isPermanent(error: unknown): boolean {
  if (error instanceof NotificationError) {
    if (error.reason !== "connect-failed") return error.reason !== "closed";
    const cause = error.cause;
    return cause instanceof GenesysApiError && [400, 401, 403, 404].includes(cause.status);
  }
  return false;
}
