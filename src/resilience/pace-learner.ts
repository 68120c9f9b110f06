// The pace learned from 429s alone, for servers that send no `inin-ratelimit-*` headers (Genesys since 2021: only
// 429 + `Retry-After` in whole seconds). TCP-like, because every 429 pauses everybody for ≥ 1 s and overshooting is
// expensive:
//  - unpaced until the first 429. Its successes, all sent in one dense wave, bound the server's burst B from above;
//    what got through ÷ (time + pause) is the first estimate (exact for a fixed window, ~B per second for a bucket);
//  - slow start: resume at that estimate and double the pace every `doublingMs` until the next 429;
//  - from then on, an estimate of the true rate and a slow additive probe above it. The estimate is the largest of
//      window: successes ÷ (time since the resume + pause), this epoch's or the previous one's (a 429 early in a
//              window shows less than a whole one), exact for a fixed window, and
//      bucket:  max over the successes of (successes sent since it − B) ÷ (time from its send to the 429's send),
//              taken at 93 %: send times are not quite the times the server counted.
//    A token bucket drained from full at some moment t* answers exactly B + r·(T − t*) successes from t* to the 429
//    at T; any other start point gives less (the bucket overflowed before t*, or was not full after it), so the
//    maximum is a lower bound that is tight, from the successes' send times alone — the pause is not counted;
//  - a 429 while probing takes a new estimate the same way. Converging from below costs some rate; a 429 costs a
//    second of everybody's time.
export type PacePhase = "unpaced" | "slow-start" | "probe";

export interface PaceLearnerOptions {
  /** Slow start doubles the pace this often (ms). Default 150. */
  doublingMs?: number;
  /**
   * Probe: resume at this share of the estimate. The limiter sees send times, not the arrival times the server
   * counts, so the estimate can be a few % high; a 429 costs far more than a few % below the rate. Default 0.93.
   */
  resumeShare?: number;
  /** Probe: growth per second, as a share of the estimate (additive). Default 0.01: at 200/s, burst 20, the next 429 comes after ~8 s. */
  probePerSecond?: number;
  /** Shortest span (ms) a bucket estimate may be taken over: short spans are mostly noise. Default 100. */
  minSpanMs?: number;
  /** Successes remembered per epoch (send times). Default 20 000. */
  maxSamples?: number;
}

export interface PaceLearner {
  /** A request was sent at `at` (ms). */
  sent(at: number): void;
  /** A request sent at `sentAt` was answered with a non-429 status below 500. */
  succeeded(sentAt: number): void;
  /** A 429 that starts a new pause: its request was sent at `sentAt`; everybody waits until `now + pauseMs`. */
  limited(sentAt: number, now: number, pauseMs: number): void;
  /** Requests per second allowed at `now`; undefined while unpaced. */
  rate(now: number): number | undefined;
  phase(): PacePhase;
}

/** Largest pace the slow start reports: past it, it is as good as unpaced (and the exponent cannot overflow). */
const MAX_RATE = 1e6;
/** A 429 before anything got through says nothing about the rate: start from one request a second. */
const MIN_RATE = 1;

export function createPaceLearner({ doublingMs = 150, resumeShare = 0.93, probePerSecond = 0.01, minSpanMs = 100, maxSamples = 20_000 }: PaceLearnerOptions = {}): PaceLearner {
  let phase: PacePhase = "unpaced";
  let base = 0; // requests per second at `since`
  let since = 0; // end of the last pause: growth counts from there
  let burst = Infinity; // upper bound of the server's burst (successes of the opening wave)
  let lastWindow = 0; // the previous epoch's window estimate: a 429 early in a window says less than a whole window
  let opening = { count: 0, span: 0 }; // the opening wave: successes, and ms from its first send to the first 429
  let epochStart = Number.NaN; // first send after the last pause (or the very first send)
  let successes: number[] = []; // send times of the successes sent in this epoch

  const rateAt = (now: number): number | undefined => {
    const t = Math.max(0, now - since);
    if (phase === "slow-start") return Math.min(MAX_RATE, base * 2 ** Math.min(60, t / doublingMs));
    if (phase === "probe") return base * (1 + (probePerSecond * t) / 1000);
    return undefined;
  };

  /** The bucket estimate: the best (successes since tᵢ − burst) ÷ (T − tᵢ) over the successes' send times tᵢ. */
  function bucketEstimate(sends: number[], at: number): number {
    let best = 0;
    for (let i = 0; i < sends.length; i++) {
      const span = at - sends[i];
      if (span < minSpanMs) break;
      best = Math.max(best, ((sends.length - i - burst) / span) * 1000);
    }
    return best;
  }

  return {
    sent(at) {
      if (Number.isNaN(epochStart)) epochStart = at;
    },

    succeeded(sentAt) {
      if (!(sentAt >= epochStart)) return; // sent before the last pause (or before anything was sent)
      if (successes.length >= maxSamples) successes.shift();
      successes.push(sentAt);
    },

    limited(limitedSentAt, now, pauseMs) {
      // Answers overtake each other: a success sent after the refused request still got through before it was
      // answered, so every success of the epoch counts, up to the latest send among them.
      const sends = [...successes].sort((a, b) => a - b);
      const count = sends.length;
      const sentAt = Math.max(limitedSentAt, count > 0 ? sends[count - 1] : -Infinity);
      const elapsed = Math.max(0, sentAt - (Number.isNaN(epochStart) ? sentAt : epochStart));
      const window = count > 0 ? (count / (elapsed + pauseMs)) * 1000 : 0;
      const before = rateAt(now);
      if (phase === "unpaced") {
        // Span from the second success on: the first request may have gone alone (the limiter waits for its
        // answer while the bucket refills). Counting the first one too keeps count − r·span ≥ B either way.
        if (count > 0) [burst, opening] = [count, { count, span: Math.max(0, sentAt - sends[Math.min(1, count - 1)]) }];
        base = window > 0 ? window : MIN_RATE;
        phase = "slow-start";
      } else {
        // The opening wave drained a full bucket: count = B + r·span, so B ≤ count − estimate·span while the
        // estimate is below r. A smaller burst raises the estimate: a few rounds of that converge from below.
        // Never below half the opening wave: an overestimate is what costs (a 429 pauses everybody).
        let bucket = bucketEstimate(sends, sentAt);
        for (let round = 0; round < 4 && opening.count > 0; round++) {
          burst = Math.max(1, opening.count / 2, Math.min(burst, opening.count - (Math.max(window, bucket) * opening.span) / 1000));
          bucket = Math.max(bucket, bucketEstimate(sends, sentAt));
        }
        // The window estimates are low already (the pause is rounded up); only the bucket's needs a margin.
        const estimate = count > 0 ? Math.max(window, lastWindow, bucket * resumeShare) : 0;
        // Nothing got through (another user of the token, or a stale 429): halve, as TCP does.
        base = estimate > 0 ? estimate : Math.max(MIN_RATE, (before ?? MIN_RATE) / 2);
        phase = "probe";
      }
      lastWindow = window;
      since = now + pauseMs;
      epochStart = Number.NaN;
      successes = [];
    },

    rate: rateAt,
    phase: () => phase,
  };
}
