// The limit tracks' knobs (limit-track.ts): how a bucket's pace is found and held, how far past a window's end to wait.
export interface TrackTuning {
  /** Probing and slow start double the pace this often (ms). */
  doublingMs: number;
  /** Bucket: until a rate is measured, a 429 cuts the pace to this share (CUBIC's β; AWS's is 0.7)… */
  beta: number;
  /** …and it is back this much later (ms). */
  regrowMs: number;
  /** Bucket: CUBIC growth past the rate it returned to, relative, per s³. */
  cubicScale: number;
  /** Bucket: after a measured rate, the pace starts this share below it (the emptied bucket gathers a few tokens)… */
  dip: number;
  /** …and is back at `targetShare` of it this much later (ms). */
  recoverMs: number;
  targetShare: number;
  /** Bucket: shortest span between two 429s the rate is measured over (ms). */
  pairSpanMs: number;
  /** Bucket: a measurement holds while the successes kept within this many tokens of its pace (nothing spilled). */
  spillTokens: number;
  /** Bucket, not measured yet: a 429 cuts the pace to at most `observedShare` of the successes over the last `observedMs`. */
  observedMs: number;
  observedShare: number;
  /** Window: wait this long past the predicted end (ms), plus `windowMarginShare` of the window. */
  windowMarginMs: number;
  windowMarginShare: number;
}

// Chosen with `npx tsx bench/limiter-sim.ts --seeds 15` at 0.5/2/5 ms latency and the HTTP goodput bench.
export const DEFAULT_TUNING: TrackTuning = {
  doublingMs: 100,
  beta: 0.7,
  regrowMs: 500,
  // Growth past a measured rate: +1 % after ~3 s, +6 % after 6 s. Faster (0.02, 0.005) probed within a 5-s run, and
  // each probe's 429 makes its call wait a whole second: the runs it hit near their end took 1.2–1.5 × the floor.
  cubicScale: 0.0003,
  dip: 0.1,
  recoverMs: 300,
  // A measurement is ±1 token over its span, and send times are not arrival times: 1 % under it keeps a few tokens.
  targetShare: 0.99,
  pairSpanMs: 250,
  spillTokens: 6,
  observedMs: 1000,
  observedShare: 1.2,
  windowMarginMs: 25,
  windowMarginShare: 0.001,
};
