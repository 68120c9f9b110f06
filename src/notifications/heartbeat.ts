// Dead-socket detection: Genesys sends a heartbeat about every 30 s and answers {"message":"ping"}. After
// `idleMs` without any message the watchdog pings; no message within `pingTimeoutMs` after that means the
// socket is dead (a half-open TCP connection looks open forever otherwise). Worst case: idleMs + pingTimeoutMs.
import type { Timers } from "./timers.js";

export interface WatchdogOptions {
  idleMs: number;
  pingTimeoutMs: number;
  ping(): void;
  dead(): void;
  timers: Timers;
  now?: () => number;
}

export interface Watchdog {
  /** Any message arrived. */
  heard(): void;
  stop(): void;
}

export function createWatchdog({ idleMs, pingTimeoutMs, ping, dead, timers, now = Date.now }: WatchdogOptions): Watchdog {
  let lastHeard = now();
  let pingSentAt: number | undefined;
  let stopped = false;
  // One timer at a time; it is not re-armed per message (50 events a second would churn it), it re-checks when it fires.
  let timer = timers.set(check, idleMs);

  function check(): void {
    if (stopped) return;
    const t = now();
    if (pingSentAt !== undefined && lastHeard >= pingSentAt) pingSentAt = undefined;
    if (pingSentAt === undefined) {
      const idle = t - lastHeard;
      if (idle < idleMs) return void (timer = timers.set(check, idleMs - idle));
      pingSentAt = t;
      ping();
      timer = timers.set(check, pingTimeoutMs);
      return;
    }
    const waited = t - pingSentAt;
    if (waited < pingTimeoutMs) return void (timer = timers.set(check, pingTimeoutMs - waited));
    // A timer that fires late (a busy event loop) runs before the socket data already waiting: let that data in
    // first (the next turn's I/O comes before a 0 ms timer), then decide.
    timer = timers.set(verdict, 0);
  }

  function verdict(): void {
    if (stopped) return;
    if (pingSentAt !== undefined && lastHeard >= pingSentAt) return check();
    stopped = true;
    dead();
  }

  return {
    heard() {
      lastHeard = now();
    },
    stop() {
      stopped = true;
      timers.clear(timer);
    },
  };
}
