// A mirror of the server's quota, kept in sync by the `inin-ratelimit-allowed/count/reset` headers, so that calls are
// paced *before* a 429 happens. It tells the rate limiter the earliest time the next request can go.
//
// Each observation says: when request #seq was processed, `count` of `allowed` were in use, and the quota is whole
// again in `reset` seconds (rounded up). Every request still unanswered may not be in that count yet (requests on
// different connections overtake each other, a lot on cold sockets), so all of them are subtracted.
// Between two quiet observations the refill is `count₁ − count₂ + requests in between`: a steady positive refill
// means a token bucket (send as tokens come back); no refill means a fixed window (spread its quota evenly over the
// first quarter of the window, wait for its end, then start again). Until that is known, what the server says is
// left may go at once, and when it is used up a single probe, `minSpanMs` later, shows which of the two it is (a
// window answers it with a 429, whose `Retry-After` pause is the right wait).

export interface QuotaObservation {
  /** Sequence number of the request this answer belongs to (the limiter numbers requests as it lets them go). */
  seq: number;
  /** When the request was sent, in the limiter's clock (ms): the best guess of when the server counted it. */
  sentAt: number;
  /** When the answer arrived (ms): the latest the server can have counted it. */
  at: number;
  /** Every request sent before this one had been answered when this answer came. */
  inOrder: boolean;
  /** Other requests in flight when this answer came: how far its count may be off from "requests up to #seq". */
  others: number;
  /** No request sent after this one had been answered before it (answers that overtook it hint it was counted late). */
  newest: boolean;
  allowed: number;
  count: number;
  resetMs: number;
}

export type QuotaMode = "unknown" | "bucket" | "window";

export interface QuotaModelOptions {
  /** Shortest span of a refill sample: long enough for the rounding of `count` (±1) to matter little. Default 50 ms. */
  minSpanMs?: number;
  /** Refill samples kept; the median is used (a window boundary inside one sample does not skew it). Default 5. */
  samples?: number;
  /** Tokens left unused at the server, against rounding and other users of the same token. Default 1. */
  margin?: number;
  /**
   * A bucket's extra margin, as time at its refill rate: how much later one request may reach the server than
   * another (event loop, connection set-up). Default 10 ms (2 tokens at 200/s).
   */
  jitterMs?: number;
  /** Share of a fixed window over which its quota is spread evenly. Default 0.25 (50 per 1 s → one every 5 ms). */
  windowSpread?: number;
}

export interface QuotaModel {
  /** Feeds an answer that carried the headers (429s included). Out-of-date answers (older `seq`) only feed sampling. */
  observe(obs: QuotaObservation, rateLimited: boolean): void;
  /**
   * Earliest time (≥ now) the next request may go. `sentSeq` numbers the last request sent, `lastSendAt` says when,
   * `inFlight` counts the requests sent and not answered.
   */
  nextSendAt(now: number, sentSeq: number, lastSendAt: number, inFlight: number): number;
  /** A 429 paused everybody until `until`: the quota comes back from then on, not during the pause. */
  pausedUntil(until: number): void;
  /** Requests per second the server currently grants (undefined until known). */
  pace(): number | undefined;
  mode(): QuotaMode;
  /** True once any observation was fed. */
  known(): boolean;
}

const median = (values: number[]): number => {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  return sorted.length % 2 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
};

export function createQuotaModel({ minSpanMs = 50, samples = 5, margin = 1, jitterMs = 10, windowSpread = 0.25 }: QuotaModelOptions = {}): QuotaModel {
  let last: QuotaObservation | undefined; // newest answer (highest seq): the sync point
  let anchor: QuotaObservation | undefined; // start of the current refill sample
  const rates: number[] = []; // refill samples, tokens per second
  let mode: QuotaMode = "unknown";
  let windowEnd = Infinity; // window mode: tightest upper bound of the current window's end
  let windowMs = 0; // window mode: longest reset seen, i.e. the window's length
  let nextWindow: { startSeq: number } | undefined; // window mode: a window we have not heard from yet
  let resumeAt = -Infinity; // end of the last 429 pause

  const refill = () => (rates.length ? median(rates) : 0);

  // Usable as a sample end: (almost) nothing else in flight, so its count covers the requests up to it — answers
  // overtake each other, and a count taken amid a burst can be off by the whole burst — and the bucket is well
  // below full (refill shows in the count instead of spilling over a full bucket).
  const clean = (o: QuotaObservation) => o.inOrder && o.newest && o.others <= 1 && o.count >= Math.max(1, o.allowed / 2);

  function sample(obs: QuotaObservation, refused: boolean): void {
    if (!anchor || !clean(anchor)) return void (anchor = obs);
    if (obs.seq <= anchor.seq) return;
    // Refused requests use no quota: a sample across unknown ones would overstate the refill. A refused probe
    // right after the anchor is fine, and telling: less than one token came back since.
    if (refused && obs.seq !== anchor.seq + 1) return void (anchor = obs);
    if (obs.count < anchor.count && obs.resetMs > anchor.resetMs) {
      // The count fell while the time to reset rose: a new window began (a bucket's reset shrinks with its count).
      mode = "window";
      return void (anchor = obs);
    }
    const span = obs.sentAt - anchor.sentAt;
    if (span < minSpanMs) return;
    if (clean(obs)) {
      const granted = anchor.count - obs.count + (obs.seq - anchor.seq) - (refused ? 1 : 0);
      rates.push((Math.max(0, granted) / span) * 1000);
      if (rates.length > samples) rates.shift();
      mode = refill() * (minSpanMs / 1000) >= 1 ? "bucket" : "window";
    }
    anchor = obs;
  }

  return {
    observe(obs, rateLimited) {
      windowMs = Math.max(windowMs, obs.resetMs);
      sample(obs, rateLimited);
      // Which count to pace by. Answers overtake each other, so the answer to a newer request does not always
      // show the newer state: a count that went down is believed only from an answer that came after those of all
      // earlier requests; a count that went up is always believed (it is the safe side).
      if (last && obs.count < last.count && !(obs.inOrder && obs.seq > last.seq)) return;
      if (last && obs.seq <= last.seq) {
        last = { ...last, count: obs.count, at: Math.max(last.at, obs.at) };
        return;
      }
      const previous = last;
      last = obs;
      if (mode === "window") {
        // Each answer bounds the window's end from above (reset is rounded up); a new window starts a new bound.
        // Answers to requests sent before the old window ended still belong to it.
        const end = obs.at + obs.resetMs;
        if (nextWindow && obs.seq <= nextWindow.startSeq) return;
        const newWindow = nextWindow !== undefined || (previous !== undefined && obs.count < previous.count);
        windowEnd = newWindow ? end : Math.min(windowEnd, end);
        nextWindow = undefined;
      }
    },

    nextSendAt(now, sentSeq, lastSendAt, inFlight) {
      if (!last) return now;
      const { allowed } = last;
      const probeAt = Math.max(now, Math.max(last.sentAt, lastSendAt) + minSpanMs);

      if (mode === "bucket") {
        const rate = refill();
        // Refill counts from the answer's arrival: the server counted it at some point before (counting from the
        // send would credit refill twice when the answer was slow). After a pause, tokens come back from its end on:
        // resuming with a burst would only meet the next 429.
        const since = Math.max(last.at, resumeAt);
        const avail = Math.min(allowed, allowed - last.count + (rate * Math.max(0, now - since)) / 1000) - inFlight;
        const need = 1 + Math.min(allowed / 2, margin + (rate * jitterMs) / 1000);
        if (avail >= need) return now;
        return rate > 0 ? Math.max(now, since) + ((need - avail) / rate) * 1000 : probeAt;
      }

      if (mode === "window") {
        if (!Number.isFinite(windowEnd)) return probeAt;
        if (now >= windowEnd && !nextWindow) nextWindow = { startSeq: sentSeq };
        // A window's quota goes at an even pace over the first `windowSpread` of the window: no burst, yet a
        // last, partly used window does not drag its few calls out over all of it. Joined late, faster so that
        // what is left is used before the end.
        const interval = (left: number, timeLeft: number) => Math.min((windowSpread * windowMs) / allowed, (windowSpread * timeLeft) / left);
        if (nextWindow) {
          // A new window we have no answer from yet.
          const used = sentSeq - nextWindow.startSeq;
          if (used >= allowed - margin) return probeAt;
          return Math.max(now, lastSendAt + (windowSpread * windowMs) / allowed);
        }
        const avail = allowed - last.count - inFlight;
        if (avail < 1 + margin) return Math.max(now, windowEnd);
        return Math.max(now, lastSendAt + interval(avail, windowEnd - now));
      }

      // Unknown: what the server says is left may go; when it is used up, one probe at a time.
      const avail = allowed - last.count - inFlight;
      return avail >= 1 + margin ? now : probeAt;
    },

    pausedUntil(until) {
      resumeAt = Math.max(resumeAt, until);
    },

    pace() {
      if (mode === "bucket") return refill();
      if (mode === "window" && last && windowMs > 0) return (last.allowed / windowMs) * 1000;
      return undefined;
    },
    mode: () => mode,
    known: () => last !== undefined,
  };
}
