// The coordinator's link to Redis: every step bounded by a short timeout, and a health state. After a failed or
// slow step the link is `down`: steps fail at once (no call waits for a Redis that is not there) and a PING every
// `probeMs` looks for Redis again; the first that answers makes it `up` (and the coordinator rejoins).
import type { Redis } from "ioredis";
import type { Script } from "./scripts.js";

export type LinkState = { state: "up" } | { state: "down"; reason: string };

export interface Link {
  /** Runs `script`; rejects at once while down, after `stepTimeoutMs` when slow. */
  run(script: Script, keys: string[], args: (string | number)[]): Promise<unknown>;
  readonly state: LinkState["state"] | "new";
  onState(listener: (state: LinkState) => void): () => void;
  /** Marks the link down (e.g. the subscriber connection closed). */
  down(reason: string): void;
  /** Looks for Redis now (a reconnect). */
  probe(): void;
  close(): void;
}

export class RedisDownError extends Error {
  override name = "RedisDownError";
}

export function createLink(client: Redis, stepTimeoutMs: number, probeMs: number, connectTimeoutMs: number): Link {
  let state: Link["state"] = "new";
  // Before the first contact, steps wait (up to their timeout) for the connection instead of failing at once.
  let firstContact!: () => void;
  const contacted = new Promise<void>((resolve) => (firstContact = resolve));
  let probing: ReturnType<typeof setInterval> | undefined;
  let closed = false;
  const listeners = new Set<(state: LinkState) => void>();

  function set(next: LinkState): void {
    if (closed || state === next.state) return;
    state = next.state;
    firstContact();
    if (next.state === "down") startProbing();
    else stopProbing();
    for (const l of listeners) l(next);
  }

  function startProbing(): void {
    if (probing || closed) return;
    probing = setInterval(probe, probeMs);
    (probing as { unref?: () => void }).unref?.();
  }
  function stopProbing(): void {
    if (probing) clearInterval(probing);
    probing = undefined;
  }

  function bounded<T>(work: Promise<T>, what: string, ms = stepTimeoutMs): Promise<T> {
    return new Promise<T>((resolve, reject) => {
      // A busy event loop runs timers before it reads sockets: an answer that arrived in time is read first
      // (setImmediate runs after the poll phase), so only a Redis that is really late counts as slow.
      const late = () => setImmediate(() => reject(new RedisDownError(`${what}: no answer within ${ms} ms`)));
      const timer = setTimeout(late, ms);
      (timer as { unref?: () => void }).unref?.();
      work.then(
        (value) => {
          clearTimeout(timer);
          resolve(value);
        },
        (error: unknown) => {
          clearTimeout(timer);
          reject(error);
        },
      );
    });
  }

  function probe(): void {
    if (closed) return;
    bounded(client.ping(), "PING").then(
      () => set({ state: "up" }),
      (error: unknown) => set({ state: "down", reason: reasonOf(error) }),
    );
  }

  async function evaluate(script: Script, keys: string[], args: (string | number)[]): Promise<unknown> {
    try {
      return await client.evalsha(script.sha, script.keys, ...keys, ...args);
    } catch (error) {
      // A restarted Redis has lost its script cache: send the script itself (which caches it again).
      if (!String((error as Error)?.message).startsWith("NOSCRIPT")) throw error;
      return client.eval(script.source, script.keys, ...keys, ...args);
    }
  }

  return {
    get state() {
      return state;
    },
    async run(script, keys, args) {
      if (closed) throw new RedisDownError("the coordinator is closed");
      if (state === "down") throw new RedisDownError("Redis is down");
      try {
        const value =
          state === "new"
            ? await bounded(contacted, "connecting to Redis", connectTimeoutMs).then(() =>
                state === "up" ? bounded(evaluate(script, keys, args), "Redis step") : Promise.reject(new RedisDownError("Redis is down")),
              )
            : await bounded(evaluate(script, keys, args), "Redis step");
        set({ state: "up" });
        return value;
      } catch (error) {
        set({ state: "down", reason: reasonOf(error) });
        throw error;
      }
    },
    onState(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
    down: (reason) => set({ state: "down", reason }),
    probe,
    close() {
      closed = true;
      stopProbing();
      listeners.clear();
    },
  };
}

/** What went wrong, without anything that could hold a secret (a URL with a password is never quoted). */
function reasonOf(error: unknown): string {
  if (error instanceof RedisDownError) return error.message;
  const code = (error as { code?: unknown })?.code;
  const name = error instanceof Error ? error.name : typeof error;
  const message = error instanceof Error ? error.message.replace(/rediss?:\/\/\S+/g, "redis://…").slice(0, 200) : "";
  return `${typeof code === "string" ? `${code}: ` : ""}${message || name}`;
}
