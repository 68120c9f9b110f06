// Queue events → a live console view. Subscribes to `v2.routing.queues.{id}.conversations` for a few queues and
// keeps a per-queue board (waiting / interacting / ended) up to date while the connection is dropped, closed for
// maintenance (socket_closing) and expired under it. Gaps are shown as they are reported: that is where an app
// would backfill from GET /api/v2/analytics/conversations/details/query.
//
// Run against the built-in simulator:  npx tsx examples/queue-events.ts
//   --seconds 30 --rate 50 --queues 5 --drop-every 2000 --closing-every 5000 --expire-after 10000 [--json]
import { createGenesysClient, type GapEvent } from "genesys-cloud-sdk";
import { startSimulator, type SimConnection } from "genesys-cloud-sdk/simulator";

export interface QueueEventsOptions {
  seconds: number;
  /** Events published per second, spread over the queues. */
  rate: number;
  queues: number;
  dropEveryMs: number | false;
  closingEveryMs: number | false;
  expireAfterMs: number;
  /** Draw the live view (a redrawn board on a terminal, a line a second otherwise). */
  view: boolean;
}

export interface QueueEventsResult {
  published: number;
  /** Published while the stream had an open socket (the simulator wrote them to it). */
  publishedWhileConnected: number;
  received: number;
  /** Published while connected but never received. */
  missing: number;
  /** Connections lost, by reason (`dropped`, `heartbeat-missed`, `channel-gone`). */
  disconnects: Record<string, number>;
  /** Received more than once. */
  duplicates: number;
  /** Published while nobody was connected, and not inside a reported gap. */
  lostOutsideGaps: number;
  /** Intervals the simulator saw without a connection, and how many of them no gap covered. */
  disconnectedIntervals: number;
  intervalsWithoutGap: number;
  gaps: number;
  reconnects: number;
  rollovers: number;
  /** ms from the server closing a socket to the stream being connected again (simulator's record). */
  reconnectMs: { median: number; max: number };
  /** Topics of the channel connected at the end equal the subscribed topics. */
  subscriptionsIntact: boolean;
  /** After close(): the stream's sockets and timers, the simulator's sockets. */
  leaks: { sockets: number; timers: number; serverSockets: number };
}

const DEFAULTS: QueueEventsOptions = { seconds: 10, rate: 50, queues: 5, dropEveryMs: 2_000, closingEveryMs: 5_000, expireAfterMs: 10_000, view: true };

export async function main(options: Partial<QueueEventsOptions> = {}): Promise<QueueEventsResult> {
  const o = { ...DEFAULTS, ...options };
  const sim = await startSimulator({
    rateLimit: false,
    notifications: {
      heartbeatIntervalMs: 1_000,
      dropIntervalMs: o.dropEveryMs,
      socketClosingIntervalMs: o.closingEveryMs,
      socketClosingGraceMs: 1_000,
      channelLifetimeMs: o.expireAfterMs,
    },
  });
  try {
    const gc = createGenesysClient({
      baseUrl: sim.url, // in production: region: "eu_west_1" (and no baseUrl)
      auth: { clientId: "sim-client", clientSecret: "sim-secret" },
    });
    const queueIds = Array.from({ length: o.queues }, (_, i) => `queue-${i + 1}`);
    const topics = queueIds.map((id) => `v2.routing.queues.${id}.conversations` as const);
    const stream = await gc.notifications.subscribe(topics, { heartbeatIntervalMs: 1_000 });

    const gaps: GapEvent[] = [];
    const board = new Map(queueIds.map((id) => [id, { waiting: 0, interacting: 0, ended: 0 }]));
    const stateOf = new Map<string, string>();
    const seen = new Map<number, number>();
    let status = "connected";
    const disconnects: Record<string, number> = {};
    stream.on("disconnect", (d) => {
      disconnects[d.reason] = (disconnects[d.reason] ?? 0) + 1;
      status = `reconnecting (${d.reason})`;
    });
    stream.on("reconnect", (r) => {
      status = `connected (${r.reason}${r.downtimeMs ? `, ${r.downtimeMs} ms down` : ", gapless"})`;
    });
    stream.on("gap", (g) => gaps.push(g)); // an app would backfill g.topics for g.interval here

    const consumer = (async () => {
      for await (const event of stream) {
        const body = event.eventBody as ConversationEvent;
        seen.set(body.seq, (seen.get(body.seq) ?? 0) + 1);
        const counts = board.get(body.queueId);
        if (!counts) continue;
        const before = stateOf.get(body.id);
        if (before) counts[before as keyof typeof counts]--;
        counts[body.state]++;
        stateOf.set(body.id, body.state);
      }
    })();

    // The "contact center": conversations move waiting → interacting → ended on random queues.
    const published: { seq: number; t: number; sockets: number }[] = [];
    const convs: { id: string; queueId: string; state: ConversationEvent["state"] }[] = [];
    let seq = 0;
    const started = Date.now();
    await new Promise<void>((resolve) => {
      const publisher = setInterval(() => {
        const due = Math.min(Math.floor(((Date.now() - started) / 1000) * o.rate), Math.round(o.seconds * o.rate));
        while (seq < due) {
          const open = convs.filter((c) => c.state !== "ended");
          let conv = open.length > 20 || (open.length > 0 && seq % 3 !== 0) ? open[seq % open.length] : undefined;
          if (!conv) convs.push((conv = { id: `conv-${seq}`, queueId: queueIds[seq % queueIds.length], state: "waiting" }));
          else conv.state = conv.state === "waiting" ? "interacting" : "ended";
          const t = Date.now();
          const body: ConversationEvent = { id: conv.id, queueId: conv.queueId, state: conv.state, seq };
          published.push({ seq: seq++, t, sockets: sim.publish(`v2.routing.queues.${conv.queueId}.conversations`, body) });
        }
        if (Date.now() - started >= o.seconds * 1000) {
          clearInterval(publisher);
          resolve();
        }
      }, 10);
      const render = o.view ? setInterval(() => draw(board, status, gaps, published.length, seen.size), process.stdout.isTTY ? 250 : 1000) : undefined;
      if (render) setTimeout(() => clearInterval(render), o.seconds * 1000);
    });
    // Let the last events arrive (a connection may be coming back), then check the end state and close.
    await waitFor(() => published.filter((p) => p.sockets > 0).every((p) => seen.has(p.seq)) && stream.stats().state === "connected");
    const final = sim.stats().notifications;
    const live = final.connections.filter((c) => c.closedAt === undefined).at(-1);
    const subscriptionsIntact = !!live && same(final.subscriptions[live.channelId] ?? [], stream.topics);
    await stream.close();
    await consumer;
    if (o.view) draw(board, "closed", gaps, published.length, seen.size, true);
    await waitFor(() => sim.stats().notifications.sockets === 0);
    return summarize(
      published,
      seen,
      gaps,
      disconnects,
      sim.stats().notifications.connections,
      stream.stats(),
      sim.stats().notifications.sockets,
      subscriptionsIntact,
    );
  } finally {
    await sim.close();
  }
}

interface ConversationEvent {
  id: string;
  queueId: string;
  state: "waiting" | "interacting" | "ended";
  seq: number;
}

function summarize(
  published: { seq: number; t: number; sockets: number }[],
  seen: Map<number, number>,
  gaps: GapEvent[],
  disconnects: Record<string, number>,
  connections: SimConnection[],
  stats: { sockets: number; timers: number; rollovers: number; reconnects: number },
  serverSockets: number,
  subscriptionsIntact: boolean,
): QueueEventsResult {
  const connected = published.filter((p) => p.sockets > 0);
  const lost = published.filter((p) => p.sockets === 0);
  // The server's own record: when no socket of the stream was open.
  const intervals: { from: number; to: number }[] = [];
  const sorted = [...connections].sort((a, b) => a.openedAt - b.openedAt);
  let coveredUntil = sorted[0]?.closedAt ?? Infinity;
  for (const c of sorted.slice(1)) {
    if (c.openedAt > coveredUntil) intervals.push({ from: coveredUntil, to: c.openedAt });
    coveredUntil = Math.max(coveredUntil, c.closedAt ?? Infinity);
  }
  // A gap starts when the stream last heard the server; the server's last frame before it was written a moment
  // earlier, so an event published between that frame's writing and its arrival belongs to the gap as well.
  const lastWriteBefore = (t: number) => Math.max(-Infinity, ...connections.map((c) => c.lastSentAt ?? c.openedAt).filter((w) => w <= t));
  const inGap = (t: number) => gaps.some((g) => t <= g.to.getTime() && t >= Math.min(g.from.getTime(), lastWriteBefore(g.from.getTime())));
  const downtimes = intervals.map((i) => i.to - i.from).sort((a, b) => a - b);
  return {
    published: published.length,
    publishedWhileConnected: connected.length,
    received: [...seen.values()].reduce((a, b) => a + b, 0),
    missing: connected.filter((p) => !seen.has(p.seq)).length,
    disconnects,
    duplicates: [...seen.values()].filter((n) => n > 1).length,
    lostOutsideGaps: lost.filter((p) => !inGap(p.t)).length,
    disconnectedIntervals: intervals.length,
    intervalsWithoutGap: intervals.filter((i) => !gaps.some((g) => g.from.getTime() <= i.to && g.to.getTime() >= i.to)).length,
    gaps: gaps.length,
    reconnects: stats.reconnects,
    rollovers: stats.rollovers,
    reconnectMs: { median: downtimes[Math.floor(downtimes.length / 2)] ?? 0, max: downtimes.at(-1) ?? 0 },
    subscriptionsIntact,
    leaks: { sockets: stats.sockets, timers: stats.timers, serverSockets },
  };
}

function draw(
  board: Map<string, { waiting: number; interacting: number; ended: number }>,
  status: string,
  gaps: GapEvent[],
  published: number,
  received: number,
  last = false,
) {
  const lines = [
    `stream: ${status} · events published ${published}, received ${received} · gaps ${gaps.length}${gaps.length ? ` (last ${gaps.at(-1)!.to.getTime() - gaps.at(-1)!.from.getTime()} ms)` : ""}`,
    "queue       waiting  interacting  ended",
    ...[...board].map(([id, c]) => `${id.padEnd(10)} ${String(c.waiting).padStart(8)} ${String(c.interacting).padStart(12)} ${String(c.ended).padStart(6)}`),
  ];
  if (process.stdout.isTTY && !last) process.stdout.write(`${`\x1b[${lines.length}F\x1b[0J`.repeat(draw.drawn ? 1 : 0) + lines.join("\n")}\n`);
  else console.log(lines.join("\n"));
  draw.drawn = true;
}
draw.drawn = false;

async function waitFor(condition: () => boolean, timeoutMs = 15_000): Promise<void> {
  const end = Date.now() + timeoutMs;
  while (!condition() && Date.now() < end) await new Promise((r) => setTimeout(r, 10));
}

const same = (a: readonly string[], b: readonly string[]) => a.length === b.length && [...a].sort().every((t, i) => t === [...b].sort()[i]);

function flags(argv: string[]): Partial<QueueEventsOptions> & { json?: boolean } {
  const get = (name: string) => {
    const i = argv.indexOf(`--${name}`);
    return i === -1 ? undefined : argv[i + 1];
  };
  const num = (name: string) => (get(name) === undefined ? undefined : Number(get(name)));
  const interval = (name: string) => (get(name) === "off" ? false : num(name));
  const json = argv.includes("--json");
  return {
    seconds: num("seconds"),
    rate: num("rate"),
    queues: num("queues"),
    dropEveryMs: interval("drop-every"),
    closingEveryMs: interval("closing-every"),
    expireAfterMs: num("expire-after"),
    view: !json,
    json,
  };
}

if (process.argv[1] && import.meta.url.endsWith(process.argv[1].replace(/\\/g, "/"))) {
  const { json, ...options } = flags(process.argv.slice(2));
  const defined = Object.fromEntries(Object.entries(options).filter(([, v]) => v !== undefined));
  const r = await main(defined);
  if (json) console.log(JSON.stringify(r, null, 2));
  else
    console.log(
      `\n${r.published} events published (${r.publishedWhileConnected} while connected): ${r.missing} missing, ${r.duplicates} duplicates; ` +
        `${r.disconnectedIntervals} disconnected intervals, ${r.intervalsWithoutGap} without a gap, ${r.lostOutsideGaps} lost events outside gaps; ` +
        `${r.reconnects} reconnections (median ${r.reconnectMs.median} ms, max ${r.reconnectMs.max} ms), ${r.rollovers} gapless replacements; ` +
        `subscriptions intact: ${r.subscriptionsIntact}; left open after close(): ${r.leaks.sockets} sockets, ${r.leaks.timers} timers, ${r.leaks.serverSockets} server sockets.`,
    );
}
