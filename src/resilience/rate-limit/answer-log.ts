// The answers a limit track keeps (by send time, over a few seconds), from which bucket-rate.ts measures a token
// bucket's refill after its 429s. Kept from the first answer on; the measuring is loaded with the first 429.

/** One answer: when its request was sent (ms), whether it succeeded (else a 429), and its round trip. */
export interface LoggedAnswer {
  at: number;
  ok: boolean;
  rtt: number;
}

export interface AnswerLog {
  /** An answer, at `answeredAt`, to a request sent at `sentAt` (ms): a success, or a 429. */
  add(sentAt: number, ok: boolean, answeredAt: number): void;
  /** The answers kept, in send order. */
  readonly entries: readonly LoggedAnswer[];
}

/** Most answers kept: a storm stays cheap. */
const MAX_ENTRIES = 20_000;

/**
 * Answers kept, by send time, over the last `historyMs` (up to half as long again: old ones go in bulk, cheaply).
 * While the log holds no 429, only the last `quietMs`: a rate is measured from a 429 on, and before the first one
 * only the last second's successes count (`observedMs`), so a client that meets no 429 keeps a second's answers.
 */
export function createAnswerLog(historyMs: number, quietMs = historyMs): AnswerLog {
  const log: LoggedAnswer[] = [];
  let limited = 0; // 429s in the log
  return {
    entries: log,
    add(sentAt, ok, answeredAt) {
      const entry = { at: sentAt, ok, rtt: Math.max(0, answeredAt - sentAt) };
      let i = log.length;
      while (i > 0 && log[i - 1].at > sentAt) i--; // answers overtake each other: keep send order
      if (i === log.length) log.push(entry);
      else log.splice(i, 0, entry);
      if (!ok) limited++;
      const newest = log[log.length - 1].at;
      const keepMs = limited > 0 ? historyMs : quietMs;
      if (log[0].at >= newest - 1.5 * keepMs && log.length <= 1.5 * MAX_ENTRIES) return;
      let old = Math.max(0, log.length - MAX_ENTRIES);
      while (old < log.length && log[old].at < newest - keepMs) old++;
      for (let k = 0; k < old; k++) if (!log[k].ok) limited--;
      log.splice(0, old);
    },
  };
}
