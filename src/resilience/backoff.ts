// How long to wait before the next attempt: the server's `Retry-After` (plus jitter) when it sends one, else
// exponential backoff with decorrelated jitter (cockatiel's generator, as battle-tested in Polly).
// `Retry-After` itself is read in retry-after.ts.
import { decorrelatedJitterGenerator, ExponentialBackoff, type IBackoff } from "cockatiel";

/** `Retry-After` plus a uniform jitter in [0, jitterMs): callers throttled together come back spread out. */
export const jitteredRetryAfter = (retryAfter: number, jitterMs: number, random: () => number = Math.random): number =>
  retryAfter + Math.floor(random() * Math.max(0, jitterMs));

/** The sequence of backoff steps of one call (each call has its own, so steps decorrelate across callers). */
export interface Backoff {
  /** The next step in ms. */
  next(): number;
}

export function decorrelatedJitterBackoff(baseDelayMs: number, maxDelayMs: number): Backoff {
  const factory = new ExponentialBackoff({ generator: decorrelatedJitterGenerator, initialDelay: baseDelayMs, maxDelay: maxDelayMs });
  let step: IBackoff<unknown> | undefined;
  return {
    next() {
      step = step ? step.next(undefined) : factory.next();
      return Math.round(step.duration);
    },
  };
}
