// A token bucket's refill rate R from its answers alone (no headers, no capacity needed).
// A 429 says the bucket held less than one token when that request arrived. From such a moment `a` on, the
// successes sent by any later time t are at most what refilled, plus one: S(a,t) ≤ R·(t−a) + 1 — a lower bound
// of R for every t. If `b` is a 429 too, and the bucket never filled up in between (it spills what does not fit),
// the successes are exactly what refilled, give or take one: R = S(a,b) ÷ (b−a) ± 1 ÷ (b−a). It cannot have
// filled up while the successes kept pace with that rate to within a few tokens (the test below).
// Send times stand for arrival times: a request arrived somewhere between its send and its answer. So a pair counts
// only when its two round trips are short next to its span (on a loaded machine an opening request can take 100s of
// ms to leave: a span counted from its send would be far too long, or too short when the later one was late).
// The opening's successes over-state the capacity by what refilled while they went out, so capacity-based bounds
// (S − capacity) ÷ span come out far too low when the first answers are slow (HTTP, a loaded machine).

import type { LoggedAnswer } from "./answer-log.js";

export interface BucketRateOptions {
  /** Shortest span between two 429s that is trusted (ms): ±1 token over it is the error. */
  minSpanMs: number;
  /** A pair is exact while the successes stayed within this many tokens of the estimated pace (the bucket did not spill). */
  spillTokens: number;
  /** Successes are counted over this long before the 429 for `observed` (ms). */
  observedMs: number;
}

export interface BucketRate {
  /** Requests per second. */
  rate: number;
  /** True: from two 429s with no spill between (R within ±1 token over the span); false: a lower bound. */
  exact: boolean;
  spanMs: number;
  /** The tightest upper bound from two 429s with no spill between and a tenth of `minSpanMs` apart (+2 tokens over it). */
  upper: number;
  /** Successes per second over the last `observedMs` before the 429: at most the rate plus the capacity over that span. */
  observed: number | undefined;
}

/** At most this many 429s are taken as the start of a pair (evenly spread, and the newest): a storm stays cheap. */
const MAX_STARTS = 48;
/** A pair is exact only while its two round trips add up to at most this share of its span (the rate's error bound). */
const MAX_UNCERTAINTY = 0.05;

/** What the answers in `log` say about the rate, up to the 429 of a request sent at `b` and answered `rttB` later; undefined when nothing. */
export function estimateBucketRate(
  log: readonly LoggedAnswer[],
  b: number,
  rttB: number,
  { minSpanMs, spillTokens, observedMs }: BucketRateOptions,
): BucketRate | undefined {
  let exact: BucketRate | undefined;
  let upper = Infinity;
  let lower = 0;
  let lowerSpan = 0;
  const end = upTo(log, b);
  let observed: number | undefined;
  if (end > 0 && log[0].at <= b - observedMs) {
    let ok = 0;
    for (let j = end - 1; j >= 0 && log[j].at > b - observedMs; j--) if (log[j].ok) ok++;
    observed = (ok / observedMs) * 1000;
  }
  for (const i of starts(log, end)) {
    const a = log[i].at;
    // Successes after a, in send order (the 429 at b itself is not one).
    let s = 0;
    for (let j = i + 1; j < end; j++) {
      if (!log[j].ok) continue;
      s++;
      const span = log[j].at - a;
      if (span >= minSpanMs && ((s - 1) / span) * 1000 > lower) [lower, lowerSpan] = [((s - 1) / span) * 1000, span];
    }
    const span = b - a;
    const uncertain = log[i].rtt + rttB; // how much longer or shorter the span may have been at the server
    if (span <= 0) continue;
    const rate = (s / span) * 1000;
    if (span >= minSpanMs && exact && exact.spanMs >= span && ((s + 2) / (span - uncertain)) * 1000 >= upper) continue;
    // Spilled, or the rate changed (other users of the token)? How far the successes strayed from that pace: behind
    // it, the bucket may have filled up; ahead of it by more than a token, the rate was not one rate all along.
    let stray = 0;
    let k = 0;
    for (let j = i + 1; j < end && stray <= spillTokens; j++) {
      if (!log[j].ok) continue;
      stray = Math.max(stray, Math.abs((rate * (log[j].at - a)) / 1000 - k));
      k++;
    }
    if (stray > spillTokens) continue;
    // Short spans bound it only loosely: over the shortest the span may have been at the server, a token or two
    // more at each end.
    if (span >= minSpanMs / 10 && span - uncertain > 0) upper = Math.min(upper, ((s + 2) / (span - uncertain)) * 1000);
    if (span >= minSpanMs && s > 0 && uncertain <= MAX_UNCERTAINTY * span && !(exact && exact.spanMs >= span))
      exact = { rate, exact: true, spanMs: span, upper, observed };
  }
  if (exact) return { ...exact, upper };
  return lower > 0 || upper < Infinity || observed ? { rate: lower, exact: false, spanMs: lowerSpan, upper, observed } : undefined;
}

/** Indices of the 429s before `end` to start pairs from: all of them, or MAX_STARTS spread out plus the newest. */
function starts(log: readonly { ok: boolean }[], end: number): number[] {
  const all: number[] = [];
  for (let i = 0; i < end; i++) if (!log[i].ok) all.push(i);
  if (all.length <= MAX_STARTS) return all;
  const half = MAX_STARTS / 2;
  const step = (all.length - half) / half;
  const spread = Array.from({ length: half }, (_, k) => all[Math.floor(k * step)]);
  return [...spread, ...all.slice(-half)];
}

/** Number of entries sent before `at` (the log is in send order). */
function upTo(log: readonly { at: number }[], at: number): number {
  let i = log.length;
  while (i > 0 && log[i - 1].at >= at) i--;
  return i;
}
