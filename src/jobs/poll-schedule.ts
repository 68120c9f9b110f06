// The waits between status polls: cockatiel's decorrelated-jitter exponential backoff (the retry loop's generator,
// with the growth factor as its exponent), kept between `initialDelayMs` and `maxDelayMs`, and never shorter than a
// status answer's `Retry-After`.
import { decorrelatedJitterGenerator, ExponentialBackoff, type IBackoff } from "cockatiel";
import type { ResolvedPoll } from "./options.js";

export interface PollSchedule {
  /** The wait before the next poll, in ms; `retryAfterMs` is the last status answer's `Retry-After`. */
  next(retryAfterMs?: number): number;
}

export function createPollSchedule({ initialDelayMs, factor, maxDelayMs }: ResolvedPoll): PollSchedule {
  const factory = new ExponentialBackoff({ generator: decorrelatedJitterGenerator, initialDelay: initialDelayMs, maxDelay: maxDelayMs, exponent: factor });
  let step: IBackoff<unknown> | undefined;
  return {
    next(retryAfterMs = 0) {
      step = step ? step.next(undefined) : factory.next();
      return Math.round(Math.max(retryAfterMs, Math.min(maxDelayMs, Math.max(initialDelayMs, step.duration))));
    },
  };
}
