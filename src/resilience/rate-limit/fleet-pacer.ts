// A member's side of the fleet's learned pace (fleet-pace.ts): the turn each request takes right before it is
// sent, the successes reported with the next turn, and the 429s that cut the fleet's rate. While the fleet is
// paced a member takes its turns one at a time: a reservation made ahead at a rate that is cut meanwhile would
// still go at the old rate, so none is made more than one turn ahead.
import { neverAborted, sleep } from "../abort.js";
import { systemClock } from "./rate-limiter.js";
import type { Clock, FleetTurn, LimitSharing } from "./types.js";

/** A `LimitSharing` that implements the fleet's learned pace. */
export type PacedSharing = LimitSharing & Required<Pick<LimitSharing, "turn" | "limited">>;

export const hasFleetPace = (sharing: LimitSharing | undefined): sharing is PacedSharing =>
  typeof sharing?.turn === "function" && typeof sharing.limited === "function";

/** While paced, a turn reserves a request at most this far ahead (ms); else it asks again. */
const LOOKAHEAD_MS = 100;
/** Smoothing of the answer times reported. */
const RTT_GAIN = 0.2;
const NO_TURN: FleetTurn = { waitMs: 0, generation: -1, paced: false, reserved: true };

/** One request's turn: its generation (-1: the fleet did not answer in time) and when it went (clock ms). */
export interface PacedTurn {
  generation: number;
  at: number;
}

export interface FleetPacer {
  /** Waits for this request's turn. Rejects on abort. */
  turn(signal: AbortSignal, maxWaitMs: number): Promise<PacedTurn>;
  /** The request got an answer other than a 429 (it used one of the limit's tokens). */
  succeeded(turn: PacedTurn): void;
  /** The request got a 429 that states no limit. */
  limited(turn: PacedTurn): void;
}

/** `clock`: simulated time in tests; by default waits run on the global timers (a waiting call keeps Node running). */
export function createFleetPacer(sharing: PacedSharing, key: string, timeoutMs: number, clock?: Clock): FleetPacer {
  let paced = false;
  let chain: Promise<void> = Promise.resolve();
  let openingOk = 0;
  let generation = 0; // the newest generation seen in a turn
  let ok = 0; // successes of requests of `generation`
  let rttMs = 0;
  const time = clock ?? systemClock;
  const answered = (turn: PacedTurn) => {
    const took = time.now() - turn.at;
    rttMs = rttMs > 0 ? rttMs + RTT_GAIN * (took - rttMs) : took;
  };

  async function take(maxWaitMs: number): Promise<FleetTurn> {
    const report = { openingOk, generation, ok, rttMs, maxWaitMs };
    openingOk = ok = 0;
    const turn = await bounded(() => sharing.turn(key, report), NO_TURN, timeoutMs, time);
    if (turn.generation !== generation && turn.generation >= 0) [generation, ok] = [turn.generation, 0];
    paced = turn.paced;
    return turn;
  }

  async function wait(turn: FleetTurn, signal: AbortSignal, maxWaitMs: number): Promise<PacedTurn> {
    if (turn.waitMs > 0) await sleep(Math.min(turn.waitMs, maxWaitMs), signal, clock);
    return { generation: turn.generation, at: time.now() };
  }

  return {
    async turn(signal, maxWaitMs) {
      if (!paced) {
        // Unpaced, turns are taken side by side; one that finds the fleet paced now reserves nothing and queues.
        const turn = await take(0);
        if (turn.reserved) return wait(turn, signal, maxWaitMs);
      }
      const previous = chain;
      let release!: () => void;
      chain = new Promise<void>((resolve) => (release = resolve));
      try {
        await untilOrAbort(previous, signal);
        // A turn is reserved at most `LOOKAHEAD_MS` ahead: a slow pace may grow meanwhile, and a reservation made
        // at it would not.
        const started = time.now();
        for (;;) {
          const left = maxWaitMs - (time.now() - started);
          const turn = await take(left > LOOKAHEAD_MS ? LOOKAHEAD_MS : Number.MAX_SAFE_INTEGER);
          if (turn.reserved) return await wait(turn, signal, left);
          await sleep(Math.min(LOOKAHEAD_MS, turn.waitMs - LOOKAHEAD_MS / 2), signal, clock);
        }
      } finally {
        void previous.then(release);
      }
    },
    succeeded(turn) {
      answered(turn);
      if (turn.generation === 0) openingOk++;
      else if (turn.generation === generation) ok++;
    },
    limited(turn) {
      answered(turn);
      if (turn.generation >= 0) void bounded(() => sharing.limited(key, turn.generation), undefined, timeoutMs, time);
    },
  };
}

/** `previous` settled, or rejects with `signal.reason` first. */
function untilOrAbort(previous: Promise<void>, signal: AbortSignal): Promise<void> {
  if (signal.aborted) return Promise.reject(signal.reason);
  if (signal === neverAborted) return previous;
  return new Promise<void>((resolve, reject) => {
    const onAbort = () => reject(signal.reason);
    signal.addEventListener("abort", onAbort, { once: true });
    void previous.then(() => {
      signal.removeEventListener("abort", onAbort);
      resolve();
    });
  });
}

/**
 * `run()`, or `fallback` when it fails or takes longer than `timeoutMs`. On a busy event loop timers run before
 * sockets are read, so an answer that arrived in time is read first (setImmediate runs after the poll phase).
 */
export function bounded<T>(run: () => Promise<T>, fallback: T, timeoutMs: number, clock: Pick<Clock, "setTimeout" | "clearTimeout">): Promise<T> {
  return new Promise<T>((resolve) => {
    const timer = clock.setTimeout(() => setImmediate(() => resolve(fallback)), timeoutMs);
    const settle = (value: T) => {
      clock.clearTimeout(timer);
      resolve(value);
    };
    try {
      run().then(settle, () => settle(fallback));
    } catch {
      settle(fallback);
    }
  });
}
