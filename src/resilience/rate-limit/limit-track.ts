// What the limiter knows about one server limit, and when it lets the next request go under it. No headers here
// (today's Genesys sends none): only 429s, their `Retry-After` (whole seconds), the body's `limit`, and successes.
//
//  - Unknown, no 429 yet: unpaced (or a prior: Genesys's documented 300 per 60 s, kept as a window until a request
//    past it succeeds).
//  - The first 429 binds its own request (the retry stage waits its `Retry-After`); the others go on at a cut rate:
//    what got through ÷ (time + Retry-After), doubling every `doublingMs`. The first answer to a request sent after
//    that 429 tells the kind: a success → token bucket (it refilled meanwhile), a 429 → fixed window (nobody gets
//    through until it resets, so everybody waits for its end). One 429 at most to find out.
//  - Window: the quota of a window goes at once when the window opens; then a single probe; its 429 gives the end
//    (`Retry-After` bounds it to one second; a window of whole seconds counted from our first send fits exactly
//    one of those), and everybody waits until then. A probe that succeeds raises the count.
//  - Bucket: slow start until a 429; then the rate measured between two 429s (bucket-rate.ts: the successes between
//    two moments the bucket was empty are what refilled), back to just under it and CUBIC growth past it; while
//    it is not measured yet, CUBIC (β, concave back) around the pace that met the 429, so the next 429 comes soon.
// Here: the state, and what every request does with it. What a 429 does (track-learning.ts) is loaded with the
// first 429 (learning.ts): a client that never meets one never loads it.
import type { NamedLimit } from "../retry-after.js";
import { createAnswerLog, type AnswerLog } from "./answer-log.js";
import { learning } from "./learning.js";
import { DEFAULT_TUNING, type TrackTuning } from "./track-tuning.js";
import type { LearnedLimit, LimitKind, LimitSource } from "./types.js";

/** How far behind its schedule a pace may send, to make up for late timers (ms). */
const MAX_LAG_MS = 4;
/** Answers a bucket's rate is measured from: long enough for a pair of 429s across a steady stretch (a rate that
 * changed meanwhile fails the pair's test). */
const HISTORY_MS = 10_000;
/** Whole-second `Retry-After` bounds a window's end to one second; answers arrive this much later than counted (ms). */
export const SLACK_MS = 50;
const MAX_SAMPLES = 20_000;
/** Sources whose count is the server's own: a window's end is predicted from its start, no probe needed. */
const STATED = new Set<LimitSource>(["body", "configured", "limits-api", "header"]);

export type Answer = { ok: true } | { ok: false; retryAfterMs: number; limit: NamedLimit | undefined };

export interface Track {
  readonly scope: string;
  /** Earliest time (≥ now) the next request may go under this limit. */
  nextAt(now: number): number;
  /** A hard pause (everybody waits) in force until this time, or -Infinity. */
  pausedUntil(): number;
  sent(seq: number, now: number): void;
  /**
   * An answer to request `seq` sent at `sentAt`; `lastSeq` is the newest request sent so far. Returns the pause it
   * started, if any. A 429 (`ok: false`) needs learning.ts loaded (`loadLearning()`).
   */
  answered(seq: number, sentAt: number, now: number, answer: Answer, lastSeq: number): number | undefined;
  /** Another limiter said: everybody waits until `until`. */
  pause(until: number): void;
  /** Request `seq` ended (with any answer, or none): call after `answered`. */
  settled(seq: number): void;
  /** Adopt a named limit (body, configuration, limits API, another limiter). */
  adopt(limit: NamedLimit, windowMs: number, source: LimitSource): void;
  info(now: number): LearnedLimit;
  /** Requests per second this track allows now (undefined: unpaced). */
  rate(now: number): number | undefined;
}

/** Everything a track knows: shared by what every request does (here) and what a 429 does (track-learning.ts). */
export interface TrackState {
  readonly name: { key: string; namespace: string | undefined };
  readonly tuning: TrackTuning;
  key: string;
  namespace: string | undefined;
  source: LimitSource;
  kind: LimitKind;
  paused: number;
  /** Answers to requests up to here were sent before the last reaction: echoes of it. */
  reactedSeq: number;
  // Window.
  count: number | undefined;
  windowMs: number | undefined;
  winStart: number;
  winEnd: number;
  winSent: number;
  /** First request of the current window. */
  winFirstSeq: number;
  /** Successes among the current window's requests. */
  winOk: number;
  /**
   * How long after its send the first request of a window was answered: the server opened the window somewhere in
   * between, so its end is counted from the answer (never early; on a loaded machine the two can be far apart).
   */
  winLag: number;
  epochFirstSeq: number;
  epochLag: number;
  openingLag: number;
  probeSeq: number;
  // Pace (probing after a first 429, bucket).
  probing: boolean;
  pace: ((now: number) => number) | undefined;
  slot: number;
  /** Upper bound of a bucket's capacity: the opening wave's successes. */
  burst: number;
  /** The opening wave: requests up to here; its late successes still count into `burst`. */
  openingSeq: number;
  /** The epoch since the last reaction: its first send and its successes' send times. */
  epochStart: number;
  successes: number[];
  readonly answers: AnswerLog;
  /**
   * Requests sent while none of the previous epoch was still unanswered (`clean`). Only their answers tell anything
   * after a reaction: an older request that reaches the server late takes the tokens a bucket refilled meanwhile.
   */
  readonly outstanding: Set<number>;
  readonly clean: Set<number>;
  /** First send of the epoch that ended in the first 429: where its window began. */
  openingStart: number;
  /**
   * Probing: when a window that began with the opening would end; a success sent after it says nothing of the kind
   * until more got through than the opening did (a window allows no more than that).
   */
  probeDeadline: number;
  lateOk: number;
  probeRate: number;
  probeSince: number;
  lateStart: number;
  /** Smoothed round trip of successes (ms). */
  rtt: number;
}

export const margin = (t: TrackState) => t.tuning.windowMarginMs + t.tuning.windowMarginShare * (t.windowMs ?? 0);
export const windowMode = (t: TrackState) => t.kind === "window" && t.count !== undefined && t.windowMs !== undefined;

function windowOutstanding(t: TrackState): boolean {
  for (const s of t.outstanding) if (s >= t.winFirstSeq) return true;
  return false;
}

function olderOutstanding(t: TrackState): boolean {
  for (const s of t.outstanding) if (s <= t.reactedSeq) return true;
  return false;
}

function loaded() {
  const l = learning();
  if (!l) throw new Error("limit-track: a 429 reached a track before learning.ts was loaded");
  return l;
}

export function createTrack(scope: string, name: { key: string; namespace: string | undefined }, tuning: TrackTuning = DEFAULT_TUNING): Track {
  const t: TrackState = {
    name,
    tuning,
    key: name.key,
    namespace: name.namespace,
    source: "learned",
    kind: "unknown",
    paused: -Infinity,
    reactedSeq: 0,
    count: undefined,
    windowMs: undefined,
    winStart: Number.NaN,
    winEnd: Number.NaN,
    winSent: 0,
    winFirstSeq: 0,
    winOk: 0,
    winLag: 0,
    epochFirstSeq: 0,
    epochLag: 0,
    openingLag: 0,
    probeSeq: 0,
    probing: false,
    pace: undefined,
    slot: -Infinity,
    burst: Infinity,
    openingSeq: 0,
    epochStart: Number.NaN,
    successes: [],
    answers: createAnswerLog(HISTORY_MS, 2 * tuning.observedMs),
    outstanding: new Set(),
    clean: new Set(),
    openingStart: Number.NaN,
    probeDeadline: Infinity,
    lateOk: 0,
    probeRate: 1,
    probeSince: 0,
    lateStart: Number.NaN,
    rtt: 0,
  };

  return {
    scope,
    nextAt(now) {
      const at = Math.max(now, t.paused);
      if (windowMode(t)) {
        if (!Number.isFinite(t.winStart) || at >= t.winEnd + margin(t)) return at; // a new window opens with this request
        if (t.winSent < t.count!) return at; // within the quota
        // Then one probe, once the window's other requests are answered (sent earlier, it may overtake one of them
        // and take its place: that one meets the 429). A count the server stated needs none: its window ends as
        // predicted. (Every answer re-runs this: the probe goes as soon as the last one comes.)
        if (t.probeSeq === 0 && !STATED.has(t.source) && !windowOutstanding(t)) return at;
        return Math.max(at, t.winEnd + margin(t));
      }
      return t.pace ? Math.max(at, t.slot + 1000 / t.pace(at)) : at;
    },
    pausedUntil: () => t.paused,

    sent(seq, now) {
      if (Number.isNaN(t.epochStart)) [t.epochStart, t.epochFirstSeq, t.epochLag] = [now, seq, 0];
      const older = olderOutstanding(t);
      t.outstanding.add(seq);
      if (!older) t.clean.add(seq);
      if (windowMode(t)) {
        if (!Number.isFinite(t.winStart) || now >= t.winEnd + margin(t)) {
          t.winStart = now;
          t.winEnd = now + t.windowMs!;
          t.winSent = 0;
          t.winOk = 0;
          t.winLag = 0;
          t.winFirstSeq = seq;
          t.probeSeq = 0;
        }
        t.winSent++;
        if (t.winSent > t.count! && t.probeSeq === 0) t.probeSeq = seq;
      }
      if (t.pace) t.slot = Math.max(t.slot + 1000 / t.pace(now), now - MAX_LAG_MS);
    },

    settled(seq) {
      t.outstanding.delete(seq);
      t.clean.delete(seq);
    },

    answered(seq, sentAt, now, answer, lastSeq) {
      const isClean = t.clean.delete(seq);
      t.answers.add(sentAt, answer.ok, now); // echoes too: each 429 says the bucket was empty when it arrived
      if (seq === t.epochFirstSeq) t.epochLag = now - sentAt;
      if (seq === t.winFirstSeq && windowMode(t) && Number.isFinite(t.winStart) && seq > 0) {
        t.winLag = now - sentAt;
        t.winEnd = Math.max(t.winEnd, t.winStart + t.winLag + t.windowMs!);
      }
      // Probing and pacing a bucket, only clean answers count; a window's probe is counted by sequence alone.
      const echo = seq <= t.reactedSeq || (!isClean && (t.probing || t.kind === "bucket"));
      if (!answer.ok) return loaded().limited(t, seq, sentAt, now, answer, lastSeq, echo);
      t.rtt = t.rtt === 0 ? now - sentAt : 0.8 * t.rtt + 0.2 * (now - sentAt);
      if (seq <= t.openingSeq) t.burst++; // answers overtake each other: the opening's successes arrive after its first 429 too
      if (seq <= t.reactedSeq) return undefined;
      if (t.successes.length < MAX_SAMPLES) t.successes.push(sentAt);
      // Only after a 429 (so learning.ts is loaded): a success that tells the kind.
      if (t.probing && isClean) loaded().probeSucceeded(t, sentAt, now);
      if (windowMode(t) && seq >= t.winFirstSeq && Number.isFinite(t.winStart)) {
        t.winOk++;
        if (seq === t.probeSeq) t.probeSeq = 0; // answered: the next probe may go
        if (t.winOk > t.count!) {
          // More got through in one window than the count allows (answers overtake each other, so it is the
          // successes that count, not which request was the probe).
          if (t.source === "default") {
            // Not this server's limit: forget the assumed default.
            forget(t);
          } else if (t.source === "learned") {
            t.count = t.winOk;
          } else {
            // The server's count is right, so the window reset earlier than thought: it started with this request.
            t.winStart = sentAt;
            t.winEnd = sentAt + t.windowMs!;
            t.winSent = t.winOk = 1;
            t.winFirstSeq = seq;
          }
        }
      }
      return undefined;
    },

    pause(until) {
      t.paused = Math.max(t.paused, until);
    },

    adopt(limit, ms, from) {
      t.key = limit.key;
      t.namespace = limit.namespace ?? t.namespace;
      if (from === "body" && t.source !== "default" && t.source !== "learned" && t.count === limit.value) return;
      t.source = from;
      t.kind = "window";
      t.probing = false;
      t.pace = undefined;
      t.count = limit.value;
      t.windowMs = ms;
    },

    info(now) {
      const w = windowMode(t);
      return {
        key: t.key,
        namespace: t.namespace,
        kind: t.kind,
        ratePerSecond: t.pace ? t.pace(now) : w ? (t.count! / t.windowMs!) * 1000 : undefined,
        countPerWindow: w ? t.count : undefined,
        windowMs: w ? t.windowMs : undefined,
        source: t.source,
      };
    },
    rate: (now) => (t.pace ? t.pace(now) : undefined),
  };
}

/** The assumed default (or a limit taken for it) is not this server's: back to knowing nothing. */
export function forget(t: TrackState): void {
  t.kind = "unknown";
  t.source = "learned";
  t.count = t.windowMs = undefined;
  [t.key, t.namespace] = [t.name.key, t.name.namespace];
}
