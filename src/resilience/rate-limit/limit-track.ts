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
import type { NamedLimit } from "../retry-after.js";
import { createAnswerLog } from "./bucket-rate.js";
import { DEFAULT_TUNING, type TrackTuning } from "./track-tuning.js";
import type { LearnedLimit, LimitKind, LimitSource } from "./types.js";

/** Below this, a pace is one request per second. */
const MIN_RATE = 1;
const MAX_RATE = 1e6;
/** How far behind its schedule a pace may send, to make up for late timers (ms). */
const MAX_LAG_MS = 4;
/** Answers a bucket's rate is measured from: long enough for a pair of 429s across a steady stretch (a rate that
 * changed meanwhile fails the pair's test). */
const HISTORY_MS = 10_000;
/** Whole-second `Retry-After` bounds a window's end to one second; answers arrive this much later than counted (ms). */
const SLACK_MS = 50;
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
  /** An answer to request `seq` sent at `sentAt`; `lastSeq` is the newest request sent so far. Returns the pause it started, if any. */
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

export function createTrack(scope: string, name: { key: string; namespace: string | undefined }, tuning: TrackTuning = DEFAULT_TUNING): Track {
  let key = name.key;
  let namespace = name.namespace;
  let source: LimitSource = "learned";
  let kind: LimitKind = "unknown";
  let paused = -Infinity;
  let reactedSeq = 0; // answers to requests up to here were sent before the last reaction: echoes of it
  // Window.
  let count: number | undefined;
  let windowMs: number | undefined;
  let winStart = Number.NaN;
  let winEnd = Number.NaN;
  let winSent = 0;
  let winFirstSeq = 0; // first request of the current window
  let winOk = 0; // successes among the current window's requests
  // How long after its send the first request of a window was answered: the server opened the window somewhere in
  // between, so its end is counted from the answer (never early; on a loaded machine the two can be far apart).
  let winLag = 0;
  let epochFirstSeq = 0;
  let epochLag = 0;
  let openingLag = 0;
  let probeSeq = 0;
  // Pace (probing after a first 429, bucket).
  let probing = false;
  let pace: ((now: number) => number) | undefined;
  let slot = -Infinity;
  let burst = Infinity; // upper bound of a bucket's capacity: the opening wave's successes
  let openingSeq = 0; // the opening wave: requests up to here; its late successes still count into `burst`
  // The epoch since the last reaction: its first send and its successes' send times.
  let epochStart = Number.NaN;
  let successes: number[] = [];
  const answers = createAnswerLog(HISTORY_MS);
  // Requests sent while none of the previous epoch was still unanswered. Only their answers tell anything after a
  // reaction: an older request that reaches the server late takes the tokens a bucket refilled meanwhile.
  const outstanding = new Set<number>();
  const clean = new Set<number>();
  let openingStart = Number.NaN; // first send of the epoch that ended in the first 429: where its window began
  // Probing: when a window that began with the opening would end; a success sent after it says nothing of the kind
  // until more got through than the opening did (a window allows no more than that).
  let probeDeadline = Infinity;
  let lateOk = 0;
  let probeRate = MIN_RATE;
  let probeSince = 0;
  let lateStart = Number.NaN;

  const margin = () => tuning.windowMarginMs + tuning.windowMarginShare * (windowMs ?? 0);
  const windowMode = () => kind === "window" && count !== undefined && windowMs !== undefined;

  let rtt = 0; // smoothed round trip of successes (ms)
  /** Slow start from `base` at `since`, doubling every `doublingMs`, or every two round trips when slower (as TCP's, once per
   * round trip, it must not outgrow the answers that would stop it). */
  function slowStart(base: number, since: number): (now: number) => number {
    const period = Math.max(tuning.doublingMs, 2 * rtt);
    return (now) => Math.min(MAX_RATE, base * 2 ** Math.min(60, Math.max(0, now - since) / period));
  }

  /** From `from` back up to `target` in `recoverMs` (concave, as CUBIC's), then CUBIC's convex growth past it. */
  function recover(target: number, from: number, since: number, recoverMs: number): (now: number) => number {
    const c = tuning.cubicScale;
    return (now) => {
      const t = Math.max(0, now - since);
      if (t < recoverMs) return Math.max(MIN_RATE, target - (target - from) * (1 - t / recoverMs) ** 3);
      return Math.min(MAX_RATE, target * (1 + c * ((t - recoverMs) / 1000) ** 3));
    };
  }

  /** The end of the window that began at `start`, from a 429's `Retry-After` (rounded up to seconds) answered at `now`. */
  function windowEndFrom(start: number, retryAfterMs: number, now: number): number {
    const hi = now + retryAfterMs;
    const lo = hi - 1000;
    if (Number.isFinite(start)) {
      if (windowMs !== undefined && start + windowMs > lo - SLACK_MS && start + windowMs <= hi + SLACK_MS) return start + windowMs;
      // A window of whole seconds from our first send: exactly one such end lies in (lo, hi].
      const n = Math.max(1, Math.ceil((lo - SLACK_MS - start) / 1000));
      if (n >= 1 && start + n * 1000 <= hi + SLACK_MS) return start + n * 1000;
    }
    return hi;
  }

  function windowOutstanding(): boolean {
    for (const s of outstanding) if (s >= winFirstSeq) return true;
    return false;
  }

  function olderOutstanding(): boolean {
    for (const s of outstanding) if (s <= reactedSeq) return true;
    return false;
  }

  function newEpoch(lastSeq: number): void {
    reactedSeq = lastSeq;
    epochStart = Number.NaN;
    successes = [];
  }

  function enterWindow(start: number, retryAfterMs: number, now: number, ok: number): number {
    kind = "window";
    probing = false;
    pace = undefined;
    count = Math.max(1, count ?? ok);
    winStart = start;
    winEnd = windowEndFrom(start, retryAfterMs, now);
    windowMs ??= Math.max(1000, Math.round((winEnd - start) / 1000) * 1000);
    paused = Math.max(paused, winEnd + margin());
    probeSeq = 0;
    return paused;
  }

  return {
    scope,
    nextAt(now) {
      const at = Math.max(now, paused);
      if (windowMode()) {
        if (!Number.isFinite(winStart) || at >= winEnd + margin()) return at; // a new window opens with this request
        if (winSent < count!) return at; // within the quota
        // Then one probe, once the window's other requests are answered (sent earlier, it may overtake one of them
        // and take its place: that one meets the 429). A count the server stated needs none: its window ends as
        // predicted. (Every answer re-runs this: the probe goes as soon as the last one comes.)
        if (probeSeq === 0 && !STATED.has(source) && !windowOutstanding()) return at;
        return Math.max(at, winEnd + margin());
      }
      return pace ? Math.max(at, slot + 1000 / pace(at)) : at;
    },
    pausedUntil: () => paused,

    sent(seq, now) {
      if (Number.isNaN(epochStart)) [epochStart, epochFirstSeq, epochLag] = [now, seq, 0];
      const older = olderOutstanding();
      outstanding.add(seq);
      if (!older) clean.add(seq);
      if (windowMode()) {
        if (!Number.isFinite(winStart) || now >= winEnd + margin()) {
          winStart = now;
          winEnd = now + windowMs!;
          winSent = 0;
          winOk = 0;
          winLag = 0;
          winFirstSeq = seq;
          probeSeq = 0;
        }
        winSent++;
        if (winSent > count! && probeSeq === 0) probeSeq = seq;
      }
      if (pace) slot = Math.max(slot + 1000 / pace(now), now - MAX_LAG_MS);
    },

    settled(seq) {
      outstanding.delete(seq);
      clean.delete(seq);
    },

    answered(seq, sentAt, now, answer, lastSeq) {
      const isClean = clean.delete(seq);
      answers.add(sentAt, answer.ok, now); // echoes too: each 429 says the bucket was empty when it arrived
      if (seq === epochFirstSeq) epochLag = now - sentAt;
      if (seq === winFirstSeq && windowMode() && Number.isFinite(winStart) && seq > 0) {
        winLag = now - sentAt;
        winEnd = Math.max(winEnd, winStart + winLag + windowMs!);
      }
      // Probing and pacing a bucket, only clean answers count; a window's probe is counted by sequence alone.
      const echo = seq <= reactedSeq || (!isClean && (probing || kind === "bucket"));
      if (answer.ok) {
        rtt = rtt === 0 ? now - sentAt : 0.8 * rtt + 0.2 * (now - sentAt);
        if (seq <= openingSeq) burst++; // answers overtake each other: the opening's successes arrive after its first 429 too
        if (seq <= reactedSeq) return undefined;
        if (successes.length < MAX_SAMPLES) successes.push(sentAt);
        if (probing && isClean) {
          const late = sentAt >= probeDeadline - SLACK_MS;
          if (late && Number.isNaN(lateStart)) lateStart = sentAt;
          if (!late || ++lateOk > burst) {
            // It refilled while nobody waited for a window's end: a bucket. Slow start from the cut pace.
            kind = "bucket";
            probing = false;
            // Slow start from the cut pace, counted from the first 429 when the kind was clear at once, else from
            // one doubling before now: a pace that grew while the kind was unclear would overshoot a bucket and
            // read as a window.
            pace = slowStart(pace ? pace(now) : probeRate, Math.max(probeSince, now - tuning.doublingMs));
          }
        }
        if (windowMode() && seq >= winFirstSeq && Number.isFinite(winStart)) {
          winOk++;
          if (seq === probeSeq) probeSeq = 0; // answered: the next probe may go
          if (winOk > count!) {
            // More got through in one window than the count allows (answers overtake each other, so it is the
            // successes that count, not which request was the probe).
            if (source === "default") {
              // Not this server's limit: forget the assumed default.
              kind = "unknown";
              source = "learned";
              count = windowMs = undefined;
              [key, namespace] = [name.key, name.namespace];
            } else if (source === "learned") {
              count = winOk;
            } else {
              // The server's count is right, so the window reset earlier than thought: it started with this request.
              winStart = sentAt;
              winEnd = sentAt + windowMs!;
              winSent = winOk = 1;
              winFirstSeq = seq;
            }
          }
        }
        return undefined;
      }

      if (answer.limit) {
        key = answer.limit.key;
        namespace = answer.limit.namespace ?? namespace;
      }
      if (echo) return paused > now ? paused : undefined;
      const ok = successes.length;
      const start = Number.isNaN(epochStart) ? sentAt : epochStart;
      const { retryAfterMs } = answer;
      let pausedUntil: number | undefined;

      if (windowMode()) {
        // The probe past the quota, or a request within it (the window is not where we thought): wait for its end.
        if (seq !== probeSeq && source !== "body" && source !== "configured" && source !== "limits-api") count = Math.max(1, winSent - 1);
        if (source === "default" && retryAfterMs < (windowMs! * 3) / 4 && seq !== probeSeq) {
          // A shorter limit than the assumed default answered: forget the default, learn this one.
          source = "learned";
          kind = "unknown";
          count = windowMs = undefined;
          [key, namespace] = [name.key, name.namespace];
        } else {
          winEnd = windowEndFrom(winStart + winLag, retryAfterMs, now);
          winStart = Number.NaN; // the next window opens with the first request after this one ends
          paused = Math.max(paused, winEnd + margin());
          pausedUntil = paused;
          probeSeq = 0;
          newEpoch(lastSeq);
          return pausedUntil;
        }
      }

      if (kind === "unknown" && !probing) {
        // The first 429: cut the pace to what got through ÷ (time + Retry-After) and probe for the kind.
        const rate = ok > 0 ? (ok / (Math.max(0, sentAt - start) + retryAfterMs)) * 1000 : MIN_RATE;
        burst = Math.max(1, ok);
        openingSeq = lastSeq;
        openingStart = start;
        openingLag = epochLag;
        probeDeadline = windowEndFrom(start + openingLag, retryAfterMs, now);
        probing = true;
        // Held while probing (see the bucket's slow start below).
        probeRate = Math.max(MIN_RATE, rate);
        probeSince = now;
        // The opening's successes still coming in raise it (answers overtake each other: the first 429 may come
        // before most of them); slower, a bucket would not refill a token before the probe.
        const probeSpan = Math.max(0, sentAt - start) + retryAfterMs;
        pace = () => Math.max(probeRate, (burst / probeSpan) * 1000);
        slot = now;
      } else if (probing) {
        // A second 429 from a request sent after the first: nobody gets through — a window. Its count is what the
        // opening got through; everybody waits for its end.
        pausedUntil = enterWindow(Number.isNaN(lateStart) ? openingStart + openingLag : lateStart, retryAfterMs, now, burst);
      } else if (kind === "bucket") {
        const measured = answers.estimate(sentAt, now - sentAt, {
          minSpanMs: tuning.pairSpanMs,
          spillTokens: tuning.spillTokens,
          observedMs: tuning.observedMs,
        });
        // The pace this request was sent at: it ran the bucket dry (slow start has grown on since, by a round trip).
        const current = pace ? Math.min(pace(now), pace(sentAt)) : MIN_RATE;
        if (measured?.exact) {
          // Measured between two 429s: back to just under it soon, then slowly past it (the rate may rise).
          const target = Math.max(MIN_RATE, measured.rate * tuning.targetShare);
          pace = recover(target, target * (1 - tuning.dip), now, tuning.recoverMs);
        } else {
          // Not measured yet (no two 429s far enough apart, with short round trips and nothing spilled between):
          // CUBIC around the pace that met this 429, cut to the upper bound two close 429s give (slow start's
          // overshoot) and to a little over the successes of the last second; the next 429 measures the rate.
          const wMax = Math.max(MIN_RATE, Math.min(current, measured?.upper ?? Infinity, (measured?.observed ?? Infinity) * tuning.observedShare));
          pace = recover(wMax, Math.max(measured?.rate ?? 0, wMax * tuning.beta), now, tuning.regrowMs);
        }
        slot = now;
      }
      newEpoch(lastSeq);
      return pausedUntil;
    },

    pause(until) {
      paused = Math.max(paused, until);
    },

    adopt(limit, ms, from) {
      key = limit.key;
      namespace = limit.namespace ?? namespace;
      if (from === "body" && source !== "default" && source !== "learned" && count === limit.value) return;
      source = from;
      kind = "window";
      probing = false;
      pace = undefined;
      count = limit.value;
      windowMs = ms;
    },

    info(now) {
      return {
        key,
        namespace,
        kind,
        ratePerSecond: pace ? pace(now) : windowMode() ? (count! / windowMs!) * 1000 : undefined,
        countPerWindow: windowMode() ? count : undefined,
        windowMs: windowMode() ? windowMs : undefined,
        source,
      };
    },
    rate: (now) => (pace ? pace(now) : undefined),
  };
}
