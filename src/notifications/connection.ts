// One WebSocket to a channel's connectUri: opened with a timeout, watched by the heartbeat watchdog, closed on
// purpose (no `lost` callback then) or lost (dropped, or dead by the watchdog). Written against the WHATWG
// interface, which the global WebSocket and the `ws` package both implement: one code path for every runtime.
import { NotificationError } from "../errors.js";
import { redactUrl } from "./connect-uri.js";
import { createWatchdog } from "./heartbeat.js";
import type { Timers } from "./timers.js";
import type { WebSocketConstructor, WebSocketEventLike, WebSocketLike } from "./types.js";

const OPEN = 1;
/** Genesys answers this text with a `channel.metadata` pong. */
export const PING_MESSAGE = JSON.stringify({ message: "ping" });
/** How long a deliberate close waits for the close handshake before giving up on it. */
const CLOSE_WAIT_MS = 1_000;

export interface Connection {
  readonly openedAt: number;
  /** The last moment anything arrived on it (its open, when nothing did yet). */
  readonly lastHeardAt: number;
  /**
   * Starts passing messages to `onMessage`. Until then they are held: a frame can arrive right behind the
   * handshake, before the caller has made this connection its current one (ws dispatches it on a nextTick, ahead
   * of promise continuations), and must not be dropped.
   */
  release(): void;
  /** Closes it on purpose; resolves once closed (or after a short wait). */
  close(): Promise<void>;
}

export interface ConnectionOptions {
  WebSocket: WebSocketConstructor;
  url: string;
  connectTimeoutMs: number;
  idleMs: number;
  pingTimeoutMs: number;
  timers: Timers;
  /** Counts sockets not yet closed. */
  sockets: Set<WebSocketLike>;
  signal: AbortSignal;
  onMessage(connection: Connection, text: string): void;
  onLost(connection: Connection, reason: "dropped" | "heartbeat-missed"): void;
}

export function openConnection(o: ConnectionOptions): Promise<Connection> {
  return new Promise<Connection>((resolve, reject) => {
    const shown = redactUrl(o.url);
    let ws: WebSocketLike;
    try {
      ws = new o.WebSocket(o.url);
    } catch (cause) {
      return reject(new NotificationError(`Could not open a WebSocket to ${shown}.`, "connect-failed", undefined, { cause }));
    }
    o.sockets.add(ws);
    let opened = false;
    let deliberate = false;
    let lastHeardAt = Date.now();
    let openedAt = lastHeardAt;
    let closedResolve: (() => void) | undefined;
    const closed = new Promise<void>((r) => (closedResolve = r));
    const watchdog = { current: undefined as ReturnType<typeof createWatchdog> | undefined };
    let held: string[] | undefined = [];

    const connection: Connection = {
      get openedAt() {
        return openedAt;
      },
      get lastHeardAt() {
        return lastHeardAt;
      },
      release() {
        const pending = held ?? [];
        held = undefined;
        for (const text of pending) if (!deliberate) o.onMessage(connection, text);
      },
      async close() {
        deliberate = true;
        held = undefined;
        watchdog.current?.stop();
        try {
          ws.close(1000, "closed by the client");
        } catch {
          /* already closing */
        }
        if (await waitClosed()) return;
        terminate(ws);
        await waitClosed();
      },
    };

    const waitClosed = async (): Promise<boolean> => {
      if (!o.sockets.has(ws)) return true;
      let timer: ReturnType<typeof setTimeout> | undefined;
      const timedOut = new Promise<boolean>((r) => (timer = o.timers.set(() => r(false), CLOSE_WAIT_MS)));
      const done = await Promise.race([closed.then(() => true), timedOut]);
      o.timers.clear(timer);
      return done;
    };

    const fail = (message: string, cause?: unknown) => {
      if (opened || deliberate) return;
      deliberate = true;
      cleanupOpening();
      try {
        ws.close();
      } catch {
        /* not open yet */
      }
      terminate(ws);
      reject(new NotificationError(`${message} (${shown})`, o.signal.aborted ? "closed" : "connect-failed", undefined, cause ? { cause } : undefined));
    };
    const openTimer = o.timers.set(() => fail(`The WebSocket did not open within ${o.connectTimeoutMs} ms`), o.connectTimeoutMs);
    const onAbort = () => fail("The stream was closed while the WebSocket was opening");
    o.signal.addEventListener("abort", onAbort, { once: true });
    const cleanupOpening = () => {
      o.timers.clear(openTimer);
      o.signal.removeEventListener("abort", onAbort);
    };

    ws.addEventListener("open", () => {
      if (deliberate) return;
      opened = true;
      cleanupOpening();
      openedAt = lastHeardAt = Date.now();
      watchdog.current = createWatchdog({
        idleMs: o.idleMs,
        pingTimeoutMs: o.pingTimeoutMs,
        timers: o.timers,
        ping: () => {
          if (ws.readyState === OPEN) ws.send(PING_MESSAGE);
        },
        dead: () => {
          if (deliberate) return;
          deliberate = true;
          o.onLost(connection, "heartbeat-missed");
          terminate(ws);
        },
      });
      resolve(connection);
    });
    ws.addEventListener("message", (event: WebSocketEventLike) => {
      if (!opened || deliberate) return;
      lastHeardAt = Date.now();
      watchdog.current?.heard();
      if (typeof event.data !== "string") return;
      if (held) held.push(event.data);
      else o.onMessage(connection, event.data);
    });
    ws.addEventListener("error", () => {
      if (!opened) fail("The WebSocket failed to open");
      // After the open an error is always followed by a close event, handled there.
    });
    ws.addEventListener("close", (event: WebSocketEventLike) => {
      o.sockets.delete(ws);
      watchdog.current?.stop();
      closedResolve?.();
      if (!opened) return fail(`The WebSocket closed before it opened (code ${event.code ?? "?"})`);
      if (deliberate) return;
      deliberate = true;
      o.onLost(connection, "dropped");
    });
  });
}

/** Ends the socket at once where the implementation can (`ws`'s terminate); elsewhere close() already started it. */
function terminate(ws: WebSocketLike): void {
  const t = (ws as { terminate?: () => void }).terminate;
  if (typeof t === "function") {
    try {
      t.call(ws);
    } catch {
      /* already gone */
    }
  } else {
    try {
      ws.close();
    } catch {
      /* already closing */
    }
  }
}
