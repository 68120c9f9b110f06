// What the limiter learns from 429s and quota headers (track-learning.ts, quota-model.ts, bucket-rate.ts) is loaded
// with the first answer that needs it, so that a client that never meets a 429 does not carry it. Loaded once for
// every limiter of the page or process; until then the limiter holds its grants (rate-limiter.ts).
import type * as Learn from "./learn.js";

export type Learning = typeof Learn;

let loaded: Learning | undefined;
let loading: Promise<Learning> | undefined;

/** The learning code, once loaded. */
export const learning = (): Learning | undefined => loaded;

/** Loads it (once); a failed load (a chunk that did not arrive) may be tried again. */
export function loadLearning(): Promise<Learning> {
  loading ??= import("./learn.js").then(
    (m) => (loaded = m),
    (error: unknown) => {
      loading = undefined;
      throw error;
    },
  );
  return loading;
}
