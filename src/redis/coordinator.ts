// createRedisCoordinator(): the `Coordinator` seam on Redis (through ioredis). Per fleet — the clients of one
// OAuth client id at one API origin — it keeps, under `<keyPrefix>{<fleet>}:` (the braces keep a fleet's keys in
// one Redis Cluster slot):
//   token        "<lifetime ms>|<access token>", TTL = the token's lifetime (the client secret is never stored)
//   token:lock   owner id of the member asking the token endpoint, TTL a few seconds, extended while it asks
//   pauses       hash scope → epoch ms a 429 pause ends (kept for members that join later)
//   limits       hash "<namespace>/<key>" → what was learned about that limit (JSON)
//   gcra:<key>   the fleet-wide rate's theoretical arrival time (Lua GCRA)
//   pace:<key>   the fleet's learned pace (hash), and pace:<key>:ok its successes per 20 ms slot (fleet-pace.ts)
//   events       pub/sub channel: pauses, learned limits, token stored / invalidated
// `<fleet>` is a SHA-256 of the client id and the API origin: the keys say nothing about the client, let alone its secret.
import { createHash, randomBytes } from "node:crypto";
import { Redis } from "ioredis";
import type { Coordinator, CoordinatorAttachment, CoordinatorClient, CoordinatorState, SharedTokenChange, SharedTokenStore } from "../coordination/types.js";
import { ConfigurationError } from "../errors.js";
import type { IDisposable, LearnedLimit, LimitSharing, SharedLimitEvent } from "../resilience/rate-limit/types.js";
import { createLink, type Link } from "./connection.js";
import { PACE_CUT, PACE_TUNING, PACE_TURN } from "./pace-scripts.js";
import { GCRA_TAKE, HGETALL, LOCK, REMEMBER_AND_PUBLISH, TOKEN_GET, TOKEN_INVALIDATE, TOKEN_SET, UNLOCK } from "./scripts.js";
import { checkOptions, type RedisCoordinatorOptions } from "./options.js";

/** A coordinator on Redis; `close()` it when the process is done (its connections keep Node running). */
export interface RedisCoordinator extends Coordinator {
  /** `up` once Redis answered, `down` while it does not (clients then work alone), `new` before the first step. */
  readonly state: "new" | "up" | "down";
  /** Closes the coordinator's connections (a client you passed in is left open). Clients attached go on alone. */
  close(): Promise<void>;
}

/** Learned limits and pauses are kept this long after their last change, for members that join later. */
const MEMORY_MS = 3_600_000;
/** A token without `expires_in` is shared for at most this long. */
const UNKNOWN_LIFETIME_TTL_MS = 86_400_000;

type Message = { k: "limit"; o: string; e: SharedLimitEvent } | { k: "stored" } | { k: "invalidated"; f: string };

interface Fleet {
  prefix: string;
  channel: string;
  limitListeners: Map<(event: SharedLimitEvent) => void, string>;
  tokenListeners: Set<(change: SharedTokenChange) => void>;
}

const fingerprint = (token: string) => createHash("sha256").update(token).digest("hex").slice(0, 24);

export function createRedisCoordinator(options: RedisCoordinatorOptions): RedisCoordinator {
  const { url, client: given, keyPrefix, stepTimeoutMs, probeMs, connectTimeoutMs } = checkOptions(options);
  const client =
    given ??
    new Redis(url!, {
      // Fail at once while disconnected (never queue a step behind a dead connection); reconnect forever, gently.
      enableOfflineQueue: false,
      maxRetriesPerRequest: 0,
      connectTimeout: connectTimeoutMs,
      retryStrategy: (times) => Math.min(50 * times, 1_000),
      lazyConnect: false,
    });
  const subscriber = client.duplicate({ enableOfflineQueue: true, maxRetriesPerRequest: null, lazyConnect: false });
  const link: Link = createLink(client, stepTimeoutMs, probeMs, connectTimeoutMs);
  const fleets = new Map<string, Fleet>();
  const stateListeners = new Set<(state: CoordinatorState) => void>();
  const quiet = () => undefined;
  // ioredis emits "error" on every failed (re)connect: without a listener Node would throw it.
  client.on("error", quiet);
  subscriber.on("error", quiet);
  client.on("ready", () => link.probe());
  client.on("close", () => link.down("connection to Redis closed"));
  subscriber.on("ready", () => rejoinAll()); // (re)subscribed: messages missed meanwhile are read back from the hashes
  subscriber.on("message", (channel: string, text: string) => dispatch(channel, text));
  link.onState((s) => {
    if (s.state === "up") rejoinAll();
    for (const l of stateListeners) l(s);
  });
  if (client.status === "ready") link.probe(); // a client you passed in may be connected already: else "ready" will come

  function fleetOf(client: CoordinatorClient): Fleet {
    const id = createHash("sha256")
      .update(`${client.clientId ?? ""}\n${client.apiOrigin}`)
      .digest("hex")
      .slice(0, 16);
    let fleet = fleets.get(id);
    if (!fleet) {
      const prefix = `${keyPrefix}{${id}}:`;
      fleet = { prefix, channel: `${prefix}events`, limitListeners: new Map(), tokenListeners: new Set() };
      fleets.set(id, fleet);
      subscriber.subscribe(fleet.channel).catch(quiet);
    }
    return fleet;
  }

  function dispatch(channel: string, text: string): void {
    const fleet = [...fleets.values()].find((f) => f.channel === channel);
    let message: Message;
    try {
      message = JSON.parse(text) as Message;
    } catch {
      return;
    }
    if (!fleet || !message || typeof message !== "object") return;
    if (message.k === "limit") {
      for (const [listener, origin] of fleet.limitListeners) if (origin !== message.o) listener(message.e);
    } else if (message.k === "stored") {
      for (const l of fleet.tokenListeners) l({ type: "stored" });
    } else if (message.k === "invalidated") {
      const f = message.f;
      for (const l of fleet.tokenListeners) l({ type: "invalidated", matches: (token) => fingerprint(token) === f });
    }
  }

  /** Tells every limiter what the fleet knows (after a first contact, a reconnect, or Redis coming back). */
  function rejoinAll(): void {
    for (const fleet of fleets.values()) if (fleet.limitListeners.size > 0) void rejoin(fleet, [...fleet.limitListeners.keys()]);
  }

  async function rejoin(fleet: Fleet, listeners: ((event: SharedLimitEvent) => void)[]): Promise<void> {
    const [pauses, limits] = (await Promise.all([link.run(HGETALL, [`${fleet.prefix}pauses`], []), link.run(HGETALL, [`${fleet.prefix}limits`], [])]).catch(
      () => [[], []],
    )) as [string[], string[]];
    const events: SharedLimitEvent[] = [];
    const now = Date.now();
    for (let i = 0; i + 1 < pauses.length; i += 2)
      if (Number(pauses[i + 1]) > now) events.push({ type: "pause", scope: pauses[i], until: Number(pauses[i + 1]) });
    for (let i = 0; i + 1 < limits.length; i += 2) {
      const limit = parseLimit(limits[i + 1]);
      if (limit) events.push({ type: "limit", limit });
    }
    for (const event of events) for (const l of listeners) if (fleet.limitListeners.has(l)) l(event);
  }

  function limitSharing(fleet: Fleet): LimitSharing {
    return {
      async publish(event, origin) {
        const message = JSON.stringify({ k: "limit", o: origin, e: event } satisfies Message);
        if (event.type === "pause") {
          const ttl = Math.max(1, Math.min(MEMORY_MS, Math.ceil(event.until - Date.now())));
          await link.run(REMEMBER_AND_PUBLISH, [`${fleet.prefix}pauses`], [event.scope, String(Math.round(event.until)), ttl, fleet.channel, message, "max"]);
        } else {
          const field = `${event.limit.namespace ?? ""}/${event.limit.key}`;
          await link.run(REMEMBER_AND_PUBLISH, [`${fleet.prefix}limits`], [field, JSON.stringify(event.limit), MEMORY_MS, fleet.channel, message, ""]);
        }
      },
      subscribe(origin, listener): IDisposable {
        fleet.limitListeners.set(listener, origin);
        if (link.state === "up") void rejoin(fleet, [listener]);
        return { dispose: () => void fleet.limitListeners.delete(listener) };
      },
      async take(key, ratePerSecond, burst) {
        if (!(ratePerSecond > 0) || !Number.isFinite(ratePerSecond)) return 0;
        const wait = await link.run(GCRA_TAKE, [`${fleet.prefix}gcra:${key}`], [(1000 / ratePerSecond).toFixed(3), Math.max(1, Math.floor(burst))]);
        return Number(wait) || 0;
      },
      async turn(key, { openingOk, generation, ok, rttMs, maxWaitMs }) {
        const args = [openingOk, generation, ok, rttMs.toFixed(3), Number.isFinite(maxWaitMs) ? maxWaitMs.toFixed(3) : "1e15", ...PACE_TUNING];
        const [wait, turnGeneration, paced, reserved] = (await link.run(PACE_TURN, paceKeys(fleet, key), args)) as [string, number, number, number];
        return { waitMs: Number(wait) || 0, generation: Number(turnGeneration), paced: paced === 1, reserved: reserved === 1 };
      },
      async limited(key, generation) {
        await link.run(PACE_CUT, paceKeys(fleet, key), [generation, ...PACE_TUNING]);
      },
    };
  }

  function tokenStore(fleet: Fleet): SharedTokenStore {
    const owner = randomBytes(12).toString("hex");
    const tokenKey = `${fleet.prefix}token`;
    const lockKey = `${fleet.prefix}token:lock`;
    return {
      async get() {
        const found = (await link.run(TOKEN_GET, [tokenKey], [])) as [string, number] | null;
        if (!found) return undefined;
        const [stored, pttl] = found;
        const bar = stored.indexOf("|");
        if (bar < 0) return undefined;
        const lifetime = stored.slice(0, bar);
        return {
          value: stored.slice(bar + 1),
          lifetimeMs: lifetime === "" ? undefined : Number(lifetime),
          remainingMs: lifetime === "" ? undefined : Math.max(0, Number(pttl)),
        };
      },
      async lock(ttlMs) {
        return (await link.run(LOCK, [lockKey], [owner, Math.max(1, Math.round(ttlMs))])) === 1;
      },
      async unlock() {
        await link.run(UNLOCK, [lockKey], [owner]);
      },
      async set(value, lifetimeMs) {
        const ttl = lifetimeMs === undefined ? UNKNOWN_LIFETIME_TTL_MS : Math.max(1, Math.floor(lifetimeMs));
        await link.run(TOKEN_SET, [tokenKey], [`${lifetimeMs ?? ""}|${value}`, ttl, fleet.channel, JSON.stringify({ k: "stored" } satisfies Message)]);
      },
      async invalidate(value) {
        await link.run(TOKEN_INVALIDATE, [tokenKey], [value, fleet.channel, JSON.stringify({ k: "invalidated", f: fingerprint(value) } satisfies Message)]);
      },
      onChange(listener) {
        fleet.tokenListeners.add(listener);
        return { dispose: () => void fleet.tokenListeners.delete(listener) };
      },
    };
  }

  let closing: Promise<void> | undefined;
  return {
    get state() {
      return link.state;
    },
    attach(member): CoordinatorAttachment {
      if (closing) throw new ConfigurationError("This Redis coordinator is closed; create another one.");
      const fleet = fleetOf(member);
      const disposers: (() => void)[] = [];
      const attachment: CoordinatorAttachment = {
        limits: limitSharing(fleet),
        tokens: member.clientId === undefined ? undefined : tokenStore(fleet),
        onState(listener) {
          // A client created after the first contact hears the current state at once.
          if (link.state !== "new") queueMicrotask(() => listener(link.state === "up" ? { state: "up" } : { state: "down", reason: "Redis is down" }));
          stateListeners.add(listener);
          const dispose = () => void stateListeners.delete(listener);
          disposers.push(dispose);
          return { dispose };
        },
        detach: () => {
          for (const d of disposers) d();
        },
      };
      return attachment;
    },
    close() {
      closing ??= (async () => {
        link.close();
        stateListeners.clear();
        await Promise.all([shut(subscriber), given ? undefined : shut(client)]);
      })();
      return closing;
    },
  };
}

/** QUIT when connected (bounded: a dying server may not answer), then stop reconnecting either way. */
async function shut(connection: Redis): Promise<void> {
  if (connection.status === "ready") {
    await Promise.race([connection.quit().catch(() => undefined), new Promise((resolve) => setTimeout(resolve, 500).unref())]);
  }
  connection.disconnect();
}

const paceKeys = (fleet: Fleet, key: string) => [`${fleet.prefix}pace:${key}`, `${fleet.prefix}pace:${key}:ok`];

function parseLimit(text: string | undefined): LearnedLimit | undefined {
  try {
    const limit = JSON.parse(text ?? "") as LearnedLimit;
    return limit && typeof limit.key === "string" && typeof limit.kind === "string" ? limit : undefined;
  } catch {
    return undefined;
  }
}
