// Defaults and validation of the job options: a bad value throws a ConfigurationError naming it, before anything is sent.
import { ConfigurationError } from "../errors.js";
import type { JobOptions } from "./types.js";

export interface ResolvedPoll {
  initialDelayMs: number;
  factor: number;
  maxDelayMs: number;
}

export interface ResolvedJobOptions {
  poll: ResolvedPoll;
  maxWaitMs: number;
  cancelOnAbort: boolean;
  cancelTimeoutMs: number;
}

export const JOB_DEFAULTS: ResolvedJobOptions = {
  poll: { initialDelayMs: 1_000, factor: 2, maxDelayMs: 30_000 },
  maxWaitMs: 3_600_000,
  cancelOnAbort: true,
  cancelTimeoutMs: 2_000,
};

export function resolveJobOptions(options: JobOptions = {}): ResolvedJobOptions {
  if (!options || typeof options !== "object") throw new ConfigurationError(`gc.jobs options must be an object (got ${String(options)}).`);
  const poll = { ...JOB_DEFAULTS.poll, ...options.poll };
  const o: ResolvedJobOptions = {
    poll,
    maxWaitMs: options.maxWaitMs ?? JOB_DEFAULTS.maxWaitMs,
    cancelOnAbort: options.cancelOnAbort ?? JOB_DEFAULTS.cancelOnAbort,
    cancelTimeoutMs: options.cancelTimeoutMs ?? JOB_DEFAULTS.cancelTimeoutMs,
  };
  check("poll.initialDelayMs", poll.initialDelayMs, 1, 86_400_000);
  check("poll.factor", poll.factor, 1, 10);
  check("poll.maxDelayMs", poll.maxDelayMs, poll.initialDelayMs, 86_400_000);
  check("maxWaitMs", o.maxWaitMs, 1, Infinity);
  check("cancelTimeoutMs", o.cancelTimeoutMs, 0, 600_000);
  if (typeof o.cancelOnAbort !== "boolean") throw new ConfigurationError(`cancelOnAbort must be a boolean (got ${String(o.cancelOnAbort)}).`);
  for (const name of ["onSubmit", "onStatus"] as const) {
    if (options[name] !== undefined && typeof options[name] !== "function") throw new ConfigurationError(`${name} must be a function.`);
  }
  return o;
}

function check(name: string, value: unknown, min: number, max: number): void {
  if (typeof value !== "number" || Number.isNaN(value) || value < min || value > max) {
    throw new ConfigurationError(`${name} must be a number from ${min} to ${max} (got ${String(value)}).`);
  }
}
