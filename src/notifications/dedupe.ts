// While a replacement socket overlaps the old one, an event published in that time arrives on both. Each event
// is passed on once: a key (topic, version, Genesys's CorrelationId and body) counted per socket is passed on only
// when this socket has now seen it more often than the other one — so two genuinely equal events stay two.
import type { TopicEvent } from "./types.js";

export interface OverlapDedupe {
  /** True when `event`, arriving on `side`, was not already passed on from the other side. */
  admit(side: 0 | 1, event: TopicEvent<string>): boolean;
}

export function createOverlapDedupe(): OverlapDedupe {
  const counts = new Map<string, [number, number]>();
  return {
    admit(side, event) {
      const key = eventKey(event);
      let c = counts.get(key);
      if (!c) counts.set(key, (c = [0, 0]));
      c[side]++;
      return c[side] > c[side === 0 ? 1 : 0];
    },
  };
}

export function eventKey(event: TopicEvent<string>): string {
  const correlation = event.metadata?.CorrelationId;
  return `${event.topicName}\u0000${event.version ?? ""}\u0000${typeof correlation === "string" ? correlation : ""}\u0000${JSON.stringify(event.eventBody) ?? ""}`;
}
