// What a 429 does to a limit track (limit-track.ts has the state and what every request does): cut the pace and
// probe for the kind, wait out a window's end, or measure a bucket's rate and pace just under it. Loaded with the
// first 429 (learning.ts).
import { estimateBucketRate } from "./bucket-rate.js";
import { forget, margin, SLACK_MS, windowMode, type Answer, type TrackState } from "./limit-track.js";

/** Below this, a pace is one request per second. */
const MIN_RATE = 1;
const MAX_RATE = 1e6;

/** Slow start from `base` at `since`, doubling every `doublingMs`, or every two round trips when slower (as TCP's, once per
 * round trip, it must not outgrow the answers that would stop it). */
function slowStart(t: TrackState, base: number, since: number): (now: number) => number {
  const period = Math.max(t.tuning.doublingMs, 2 * t.rtt);
  return (now) => Math.min(MAX_RATE, base * 2 ** Math.min(60, Math.max(0, now - since) / period));
}

/** From `from` back up to `target` in `recoverMs` (concave, as CUBIC's), then CUBIC's convex growth past it. */
function recover(t: TrackState, target: number, from: number, since: number, recoverMs: number): (now: number) => number {
  const c = t.tuning.cubicScale;
  return (now) => {
    const dt = Math.max(0, now - since);
    if (dt < recoverMs) return Math.max(MIN_RATE, target - (target - from) * (1 - dt / recoverMs) ** 3);
    return Math.min(MAX_RATE, target * (1 + c * ((dt - recoverMs) / 1000) ** 3));
  };
}

/** The end of the window that began at `start`, from a 429's `Retry-After` (rounded up to seconds) answered at `now`. */
function windowEndFrom(t: TrackState, start: number, retryAfterMs: number, now: number): number {
  const hi = now + retryAfterMs;
  const lo = hi - 1000;
  if (Number.isFinite(start)) {
    const { windowMs } = t;
    if (windowMs !== undefined && start + windowMs > lo - SLACK_MS && start + windowMs <= hi + SLACK_MS) return start + windowMs;
    // A window of whole seconds from our first send: exactly one such end lies in (lo, hi].
    const n = Math.max(1, Math.ceil((lo - SLACK_MS - start) / 1000));
    if (n >= 1 && start + n * 1000 <= hi + SLACK_MS) return start + n * 1000;
  }
  return hi;
}

function newEpoch(t: TrackState, lastSeq: number): void {
  t.reactedSeq = lastSeq;
  t.epochStart = Number.NaN;
  t.successes = [];
}

function enterWindow(t: TrackState, start: number, retryAfterMs: number, now: number, ok: number): number {
  t.kind = "window";
  t.probing = false;
  t.pace = undefined;
  t.count = Math.max(1, t.count ?? ok);
  t.winStart = start;
  t.winEnd = windowEndFrom(t, start, retryAfterMs, now);
  t.windowMs ??= Math.max(1000, Math.round((t.winEnd - start) / 1000) * 1000);
  t.paused = Math.max(t.paused, t.winEnd + margin(t));
  t.probeSeq = 0;
  return t.paused;
}

/** While probing after the first 429, a clean success sent at `sentAt`: it may tell that the limit is a bucket. */
export function probeSucceeded(t: TrackState, sentAt: number, now: number): void {
  const late = sentAt >= t.probeDeadline - SLACK_MS;
  if (late && Number.isNaN(t.lateStart)) t.lateStart = sentAt;
  if (!late || ++t.lateOk > t.burst) {
    // It refilled while nobody waited for a window's end: a bucket. Slow start from the cut pace, counted from the
    // first 429 when the kind was clear at once, else from one doubling before now: a pace that grew while the
    // kind was unclear would overshoot a bucket and read as a window.
    t.kind = "bucket";
    t.probing = false;
    t.pace = slowStart(t, t.pace ? t.pace(now) : t.probeRate, Math.max(t.probeSince, now - t.tuning.doublingMs));
  }
}

/** A 429 to request `seq` (`echo`: sent before the last reaction, or not clean): returns the pause it started, if any. */
export function limited(
  t: TrackState,
  seq: number,
  sentAt: number,
  now: number,
  answer: Answer & { ok: false },
  lastSeq: number,
  echo: boolean,
): number | undefined {
  if (answer.limit) {
    t.key = answer.limit.key;
    t.namespace = answer.limit.namespace ?? t.namespace;
  }
  if (echo) return t.paused > now ? t.paused : undefined;
  const ok = t.successes.length;
  const start = Number.isNaN(t.epochStart) ? sentAt : t.epochStart;
  const { retryAfterMs } = answer;
  const { tuning } = t;
  let pausedUntil: number | undefined;

  if (windowMode(t)) {
    // The probe past the quota, or a request within it (the window is not where we thought): wait for its end.
    if (seq !== t.probeSeq && t.source !== "body" && t.source !== "configured" && t.source !== "limits-api") t.count = Math.max(1, t.winSent - 1);
    if (t.source === "default" && retryAfterMs < (t.windowMs! * 3) / 4 && seq !== t.probeSeq) {
      // A shorter limit than the assumed default answered: forget the default, learn this one.
      forget(t);
    } else {
      t.winEnd = windowEndFrom(t, t.winStart + t.winLag, retryAfterMs, now);
      t.winStart = Number.NaN; // the next window opens with the first request after this one ends
      t.paused = Math.max(t.paused, t.winEnd + margin(t));
      pausedUntil = t.paused;
      t.probeSeq = 0;
      newEpoch(t, lastSeq);
      return pausedUntil;
    }
  }

  if (t.kind === "unknown" && !t.probing) {
    // The first 429: cut the pace to what got through ÷ (time + Retry-After) and probe for the kind.
    const rate = ok > 0 ? (ok / (Math.max(0, sentAt - start) + retryAfterMs)) * 1000 : MIN_RATE;
    t.burst = Math.max(1, ok);
    t.openingSeq = lastSeq;
    t.openingStart = start;
    t.openingLag = t.epochLag;
    t.probeDeadline = windowEndFrom(t, start + t.openingLag, retryAfterMs, now);
    t.probing = true;
    // Held while probing (see the bucket's slow start in probeSucceeded).
    t.probeRate = Math.max(MIN_RATE, rate);
    t.probeSince = now;
    // The opening's successes still coming in raise it (answers overtake each other: the first 429 may come
    // before most of them); slower, a bucket would not refill a token before the probe.
    const probeSpan = Math.max(0, sentAt - start) + retryAfterMs;
    t.pace = () => Math.max(t.probeRate, (t.burst / probeSpan) * 1000);
    t.slot = now;
  } else if (t.probing) {
    // A second 429 from a request sent after the first: nobody gets through — a window. Its count is what the
    // opening got through; everybody waits for its end.
    pausedUntil = enterWindow(t, Number.isNaN(t.lateStart) ? t.openingStart + t.openingLag : t.lateStart, retryAfterMs, now, t.burst);
  } else if (t.kind === "bucket") {
    const measured = estimateBucketRate(t.answers.entries, sentAt, now - sentAt, {
      minSpanMs: tuning.pairSpanMs,
      spillTokens: tuning.spillTokens,
      observedMs: tuning.observedMs,
    });
    // The pace this request was sent at: it ran the bucket dry (slow start has grown on since, by a round trip).
    const current = t.pace ? Math.min(t.pace(now), t.pace(sentAt)) : MIN_RATE;
    if (measured?.exact) {
      // Measured between two 429s: back to just under it soon, then slowly past it (the rate may rise).
      const target = Math.max(MIN_RATE, measured.rate * tuning.targetShare);
      t.pace = recover(t, target, target * (1 - tuning.dip), now, tuning.recoverMs);
    } else {
      // Not measured yet (no two 429s far enough apart, with short round trips and nothing spilled between):
      // CUBIC around the pace that met this 429, cut to the upper bound two close 429s give (slow start's
      // overshoot) and to a little over the successes of the last second; the next 429 measures the rate.
      const wMax = Math.max(MIN_RATE, Math.min(current, measured?.upper ?? Infinity, (measured?.observed ?? Infinity) * tuning.observedShare));
      t.pace = recover(t, wMax, Math.max(measured?.rate ?? 0, wMax * tuning.beta), now, tuning.regrowMs);
    }
    t.slot = now;
  }
  newEpoch(t, lastSeq);
  return pausedUntil;
}
