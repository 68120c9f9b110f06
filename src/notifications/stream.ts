// A notification stream: topics spread over lanes (one channel per 1,000 topics), their events in one bounded
// queue for `for await`, stream events for gaps and reconnections, and `close()` that leaves nothing behind.
// Loaded by `subscribe()` through a dynamic import: nothing here is in the client's static import graph.
import { ConfigurationError, NotificationError } from "../errors.js";
import { createChannelApi, type NotificationsClient } from "./channel-api.js";
import { connectUriPolicy } from "./connect-uri.js";
import { Lane, type LaneContext } from "./lane.js";
import { resolveStreamOptions } from "./options.js";
import { createEventQueue } from "./queue.js";
import { createTimers } from "./timers.js";
import { checkTopicCount, checkTopics, placeTopics } from "./topics.js";
import type { NotificationStream, NotificationStreamEvents, NotificationStreamStats, SubscribeOptions, TopicEvent, WebSocketLike } from "./types.js";
import { loadWebSocket } from "./websocket.js";

export interface StreamDeps {
  client: NotificationsClient;
  apiOrigin: string;
  region: string;
}

type Counter = "reconnects" | "rollovers" | "gaps" | "duplicatesDropped";

export async function openStream(deps: StreamDeps, topics: unknown, options?: SubscribeOptions): Promise<NotificationStream> {
  const opts = resolveStreamOptions(options);
  const initial = checkTopics(topics);
  if (initial.length === 0) throw new ConfigurationError("subscribe needs at least one topic");
  checkTopicCount(initial.length, opts.maxChannels, initial);
  const checkUri = connectUriPolicy(deps.apiOrigin, deps.region);
  const WebSocket = await loadWebSocket(opts.WebSocket);
  if (opts.signal?.aborted) throw new NotificationError("The stream's signal was already aborted.", "closed", undefined, { cause: opts.signal.reason });

  const controller = new AbortController();
  const timers = createTimers();
  const sockets = new Set<WebSocketLike>();
  const listeners = new Map<keyof NotificationStreamEvents, Set<(event: never) => void>>();
  const counters: Record<Counter, number> = { reconnects: 0, rollovers: 0, gaps: 0, duplicatesDropped: 0 };
  /** Topics removed by `remove()`: their events still in flight are dropped. */
  const removed = new Set<string>();
  let lanes: Lane[] = [];
  let delivered = 0;
  let started = false;
  let closing: Promise<void> | undefined;
  let topicsTail: Promise<unknown> = Promise.resolve();

  const emit = <E extends keyof NotificationStreamEvents>(name: E, event: NotificationStreamEvents[E]) => {
    for (const listener of listeners.get(name) ?? []) {
      try {
        (listener as (event: NotificationStreamEvents[E]) => void)(event);
      } catch {
        // A throwing listener must not break the stream.
      }
    }
  };
  const queue = createEventQueue<TopicEvent<string>>(opts.maxBufferedEvents, (o) => {
    const from = new Date(o.from);
    const to = new Date(o.to);
    counters.gaps++;
    emit("gap", { from, to, topics: [...o.topics], reason: "overflow", interval: `${from.toISOString()}/${to.toISOString()}` });
  });

  const ctx: LaneContext = {
    api: createChannelApi(deps.client, checkUri),
    WebSocket,
    options: opts,
    timers,
    sockets,
    signal: controller.signal,
    deliver(event) {
      if (removed.size > 0 && removed.has(event.topicName)) return;
      delivered++;
      queue.push(event);
    },
    emit,
    fatal(error) {
      if (closing) return;
      emit("error", error);
      queue.end(error);
      void close();
    },
    count: (counter) => void counters[counter]++,
  };

  const onAbort = () => void close();
  opts.signal?.addEventListener("abort", onAbort, { once: true });

  function close(): Promise<void> {
    closing ??= (async () => {
      opts.signal?.removeEventListener("abort", onAbort);
      controller.abort(new NotificationError("The notification stream was closed.", "closed"));
      await Promise.all(lanes.map((lane) => lane.close()));
      await topicsTail.catch(() => undefined);
      timers.clearAll();
      queue.end();
    })();
    return closing;
  }

  /** add/remove one at a time, so lanes are never filled by two changes at once. */
  const serial = <T>(fn: () => Promise<T>): Promise<T> => {
    if (closing) return Promise.reject(new NotificationError("The notification stream is closed.", "closed"));
    const run = topicsTail.then(fn, fn);
    topicsTail = run.catch(() => undefined);
    return run;
  };

  async function startLanes(groups: string[][]): Promise<void> {
    const fresh = groups.map((group) => new Lane(ctx, group));
    lanes.push(...fresh);
    const results = await Promise.allSettled(fresh.map((lane) => lane.start()));
    const failed = results.findIndex((r) => r.status === "rejected");
    if (failed === -1) return;
    // All or nothing: the lanes of this call that did start are closed again.
    lanes = lanes.filter((lane) => !fresh.includes(lane));
    await Promise.all(fresh.map((lane) => lane.close()));
    throw (results[failed] as PromiseRejectedResult).reason;
  }

  const allTopics = () => lanes.flatMap((lane) => lane.topics);

  const stream: NotificationStream = {
    on(name, listener) {
      let set = listeners.get(name);
      if (!set) listeners.set(name, (set = new Set()));
      const entry = listener as (event: never) => void;
      set.add(entry);
      return () => void set.delete(entry);
    },
    [Symbol.asyncIterator]: () => queue.iterator(close) as AsyncIterator<never>,
    add: (list) =>
      serial(async () => {
        const current = new Set(allTopics());
        const added = checkTopics(list, "add(topics)").filter((t) => !current.has(t));
        if (added.length === 0) return;
        checkTopicCount(current.size + added.length, opts.maxChannels, added);
        for (const t of added) removed.delete(t);
        const { existing, fresh } = placeTopics(
          lanes.map((lane) => lane.topics.length),
          added,
        );
        const changes = lanes.map((lane, i) => (existing[i].length > 0 ? lane.setTopics([...lane.topics, ...existing[i]]) : undefined));
        const results = await Promise.allSettled([...changes, fresh.length > 0 ? startLanes(fresh) : undefined]);
        const failure = results.find((r): r is PromiseRejectedResult => r.status === "rejected");
        if (failure) throw failure.reason;
      }),
    remove: (list) =>
      serial(async () => {
        const gone = new Set(checkTopics(list, "remove(topics)"));
        const affected = lanes.filter((lane) => lane.topics.some((t) => gone.has(t)));
        for (const t of gone) removed.add(t);
        const emptied = affected.filter((lane) => lane.topics.every((t) => gone.has(t)));
        lanes = lanes.filter((lane) => !emptied.includes(lane));
        await Promise.all([
          ...emptied.map((lane) => lane.close()),
          ...affected.filter((lane) => !emptied.includes(lane)).map((lane) => lane.setTopics(lane.topics.filter((t) => !gone.has(t)))),
        ]);
      }),
    close,
    get topics() {
      return allTopics();
    },
    stats(): NotificationStreamStats {
      const state = closing ? "closed" : !started ? "connecting" : lanes.every((lane) => lane.connected) ? "connected" : "reconnecting";
      return {
        state,
        channels: lanes.reduce((n, lane) => n + lane.channels, 0),
        sockets: sockets.size,
        timers: timers.pending,
        topics: allTopics().length,
        ...counters,
        delivered,
        buffered: queue.size,
      };
    },
  };

  try {
    await startLanes(placeTopics([], initial).fresh);
  } catch (error) {
    await close();
    throw error;
  }
  started = true;
  return stream;
}
