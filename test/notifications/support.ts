// Helpers for the notification tests: a collector that iterates a stream, and waits on conditions (no sleeps that race).
import { vi } from "vitest";
import type { GapEvent, NotificationStream, ReconnectEvent, TopicEvent } from "../../src/index.js";
import type { Simulator } from "../../src/simulator/index.js";

export interface Collected {
  events: TopicEvent[];
  gaps: GapEvent[];
  reconnects: ReconnectEvent[];
  errors: Error[];
  /** Resolves when the iteration ended (with its error, if it threw). */
  done: Promise<unknown>;
}

/** Iterates `stream` in the background, recording its events, gaps, reconnections and errors. */
export function collect(stream: NotificationStream): Collected {
  const c: Omit<Collected, "done"> = { events: [], gaps: [], reconnects: [], errors: [] };
  stream.on("gap", (g) => c.gaps.push(g));
  stream.on("reconnect", (r) => c.reconnects.push(r));
  stream.on("error", (e) => c.errors.push(e));
  const done = (async () => {
    for await (const event of stream) c.events.push(event);
  })().then(
    () => undefined,
    (error: unknown) => error,
  );
  return { ...c, done };
}

/** Waits until `condition` holds (polling, generous timeout: a loaded machine only makes it slower). */
export function until(condition: () => boolean, timeout = 10_000): Promise<void> {
  const notMet = new Error(`condition not met within ${timeout} ms: ${condition.toString()}`); // its stack names the caller
  return vi.waitFor(
    () => {
      if (!condition()) throw notMet;
    },
    { timeout, interval: 5 },
  );
}

/** Sequence numbers of the events received, by `eventBody.seq`. */
export const seqs = (events: TopicEvent[]) => events.map((e) => (e.eventBody as { seq: number }).seq);

/** Publishes `{ seq }` on `topic`; returns the record of what the simulator did with it. */
export function publishSeq(sim: Simulator, topic: string, seq: number) {
  const t = Date.now();
  const sockets = sim.publish(topic, { seq });
  return { seq, topic, t, sockets };
}
