// The fleet's learned pace: when no limit is stated (no body `limit`, no quota headers, no `requestsPerSecond`),
// the members of a fleet learn one rate together instead of each its own share. A member's share is a moving
// target (the others' traffic takes tokens it never sees), and shares learned apart add up to a storm: the fleet
// overshoots together, and every member reads the others' 429s as a limit of its own.
//
// One state per key, kept where the fleet meets (Redis: the Lua twin in src/redis/pace-script.ts; in memory:
// createLocalLimitSharing). Each request takes its turn (GCRA at the current rate) and reports the successes its
// member saw since its previous turn. A 429 to a request whose turn came in the current generation cuts the rate;
// 429s to requests of older generations are echoes of a cut already made.
//  - The fleet starts at `INITIAL_RATE`, doubling every `DOUBLING_MS` while it asks for more (a burst of every
//    member's calls at once would meet the limit with all of them).
//  - A cut: the tight lower bound of the rate from the fleet's successes since the previous cut's echoes ended,
//    and CUBIC growth around it (β of it at once), as a member alone does (limit-track.ts), but fleet-wide. An
//    estimate resting on too few successes cuts the best estimate known by β instead.
import type { FleetTurn, TurnReport } from "./types.js";

export const INITIAL_RATE = 50;
/** Slow start: the rate doubles this often (ms) while the fleet asks for more than it. */
export const DOUBLING_MS = 100;
/** After a cut: the pace as a share of the estimate (CUBIC's β); the CUBIC scale, relative, per s³. */
export const BETA = 0.95;
export const CUBIC_SCALE = 0.02;
/** Successes are counted in slots of this many ms, kept `HISTORY_MS`. */
export const SLOT_MS = 20;
export const HISTORY_MS = 2_000;
/**
 * The first cut's estimate, over a short span, still holds the tokens the bucket kept while the fleet was slower
 * than it (up to its burst ÷ the span): the fleet's pace starts at this share of it, and grows from there.
 */
export const OPENING_SHARE = 0.85;
/** Shortest span an estimate is taken over: at the first cut (the bucket's burst is not known yet), and later. */
export const OPENING_SPAN_MS = 200;
export const MIN_SPAN_MS = 100;
/** An estimate over a shorter epoch, or from fewer than twice the burst's successes, is not trusted. */
export const TRUSTED_SPAN_MS = 500;
/** The GCRA's burst: one turn may make up for a late timer. */
export const PACE_BURST = 2;
/** Above this rate nobody waits: members take their turns side by side. */
export const UNPACED_ABOVE = 10_000;
/** A cut's echoes last until the requests reserved before it went, plus `ECHO_RTTS` answer times (at least `MIN_ECHO_MS`). */
export const ECHO_RTTS = 2;
export const MIN_ECHO_MS = 20;
/** Smoothing of the members' answer times. */
export const RTT_GAIN = 0.2;
const MIN_RATE = 1;
const MAX_RATE = 1e6;

export interface FleetPaceState {
  /** Even; turns during a cut's echoes get the odd one before. */
  generation: number;
  mode: "slow" | "cubic";
  /** Slow start: the rate at `grownAt`; CUBIC: the estimate it grows around. */
  base: number;
  cutAt: number;
  /** Where growth is counted from: it stands still while the fleet asks for less than its pace. */
  grownAt: number;
  /** The latest trusted estimate (0: none yet). */
  known: number;
  /** Successes an estimate discounts: the opening's that came after the first cut. */
  burst: number;
  /** GCRA: theoretical arrival time. */
  tat: number;
  lastTurnAt: number;
  echoesUntil: number;
  /** The members' answer time, smoothed (ms). */
  rttMs: number;
  /** Successes per slot (slot index → count). */
  slots: Map<number, number>;
}

export const newFleetPace = (now: number): FleetPaceState => ({
  generation: 0,
  mode: "slow",
  base: INITIAL_RATE,
  cutAt: now,
  grownAt: now,
  known: 0,
  burst: 0,
  tat: now,
  lastTurnAt: now,
  echoesUntil: now,
  rttMs: 0,
  slots: new Map(),
});

export function paceAt(s: FleetPaceState, now: number): number {
  const t = Math.max(0, now - s.grownAt);
  if (s.mode === "slow") return Math.min(MAX_RATE, s.base * 2 ** Math.min(60, t / DOUBLING_MS));
  const k = Math.cbrt((1 - BETA) / CUBIC_SCALE);
  return Math.min(MAX_RATE, Math.max(MIN_RATE, s.base * (1 + CUBIC_SCALE * (t / 1000 - k) ** 3)));
}

/** A member's turn: records what it saw since its previous turn, reserves one request (unless it would wait longer than the turn may). */
export function takeTurn(s: FleetPaceState, now: number, report: TurnReport): FleetTurn {
  // The opening's successes count until the first cut; after it they are stragglers, and so discounted.
  const ok = (s.generation === 0 ? report.openingOk : 0) + (report.generation === s.generation && s.generation > 0 ? report.ok : 0);
  if (s.generation > 0) s.burst += report.openingOk;
  if (ok > 0) {
    const slot = Math.floor(now / SLOT_MS);
    s.slots.set(slot, (s.slots.get(slot) ?? 0) + ok);
  }
  for (const slot of s.slots.keys()) if ((slot + 1) * SLOT_MS < now - HISTORY_MS) s.slots.delete(slot);
  if (report.rttMs > 0) s.rttMs = s.rttMs > 0 ? s.rttMs + RTT_GAIN * (report.rttMs - s.rttMs) : report.rttMs;
  const generation = now < s.echoesUntil ? s.generation - 1 : s.generation;
  // A pace nobody uses proves nothing: it grows only while the fleet asks for more (else the calls waiting out a
  // Retry-After would all come back at a rate never tried).
  if (s.tat < now) s.grownAt = Math.min(now, s.grownAt + (now - Math.max(s.lastTurnAt, s.grownAt)));
  s.lastTurnAt = now;
  const rate = paceAt(s, now);
  if (rate > UNPACED_ABOVE) return { waitMs: 0, generation, paced: false, reserved: true };
  const interval = 1000 / rate;
  const tat = Math.max(s.tat, now);
  const waitMs = Math.max(0, tat - now - (PACE_BURST - 1) * interval);
  if (waitMs > report.maxWaitMs) return { waitMs, generation, paced: true, reserved: false };
  s.tat = tat + interval;
  return { waitMs, generation, paced: true, reserved: true };
}

/** A 429 to a request whose turn came in `generation`: cuts the rate, unless it is an echo of an earlier cut. */
export function cutPace(s: FleetPaceState, now: number, generation: number): void {
  if (generation !== s.generation) return;
  const opening = s.generation === 0;
  const { estimate, successes, spanMs } = estimateRate(s, now, opening ? OPENING_SPAN_MS : MIN_SPAN_MS);
  const current = paceAt(s, now);
  if (estimate > 0 && (opening || (successes >= 2 * s.burst && spanMs >= TRUSTED_SPAN_MS))) {
    s.known = estimate;
    s.base = Math.min(estimate * (opening ? OPENING_SHARE : 1), current);
  } else {
    s.base = Math.max(MIN_RATE, Math.min(current, s.known || current) * BETA);
  }
  s.mode = "cubic";
  s.generation += 2;
  s.cutAt = s.grownAt = now;
  // Requests reserved before the cut are still to come, at the old pace: their 429s, and those they cause, are echoes.
  s.echoesUntil = Math.max(s.tat, now) + Math.max(MIN_ECHO_MS, ECHO_RTTS * s.rttMs);
}

/** Max over the slots of this epoch of (successes since − burst) ÷ span: a bucket drained answers B + r·t. */
function estimateRate(s: FleetPaceState, now: number, minSpanMs: number): { estimate: number; successes: number; spanMs: number } {
  const start = Math.max(s.cutAt, s.echoesUntil);
  let estimate = 0;
  let sum = 0;
  for (let slot = Math.floor(now / SLOT_MS); slot >= Math.floor(start / SLOT_MS); slot--) {
    sum += s.slots.get(slot) ?? 0;
    const span = now - Math.max(start, slot * SLOT_MS);
    if (span >= minSpanMs) estimate = Math.max(estimate, ((sum - s.burst) / span) * 1000);
  }
  return { estimate, successes: sum, spanMs: now - start };
}
