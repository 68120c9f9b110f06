// `gc.notifications`: the factory the client builds it with. The WebSocket code sits behind the dynamic import
// below (stream.js and everything it imports), loaded on the first `subscribe()`; the `ws` package is imported
// only from there (websocket.ts), and only when the runtime has no global WebSocket.
import type { NotificationsClient } from "./channel-api.js";
import type { Notifications } from "./types.js";

export interface NotificationsDeps {
  /** The client's typed calls: channel and subscription requests go through its auth and resilience. */
  client: NotificationsClient;
  /** The client's API origin (region or `baseUrl`): it decides which streaming host a `connectUri` may name. */
  apiOrigin: string;
  region: string;
}

export function createNotifications(deps: NotificationsDeps): Notifications {
  return {
    async subscribe(topics, options) {
      const { openStream } = await import("./stream.js");
      return (await openStream(deps, topics, options)) as never;
    },
  };
}

export type * from "./types.js";
