// Defaults and validation of the simulator's `jobs` option; bad values throw a ConfigurationError naming the field.
import { ConfigurationError } from "../errors.js";
import type { SimJobOptions } from "./types.js";

export type ResolvedJobOptions = Required<Omit<SimJobOptions, "failure" | "retryAfterSeconds">> & Pick<SimJobOptions, "failure" | "retryAfterSeconds">;

export const JOB_DEFAULTS: ResolvedJobOptions = { processingMs: 1_000, results: 100, pageSize: 100, failure: undefined, retryAfterSeconds: undefined };

const FIELDS = new Set(Object.keys(JOB_DEFAULTS));
const FAILURE_STATES = new Set(["FAILED", "CANCELLED", "EXPIRED"]);

/** `patch` merged over `base` (undefined fields keep the base, except `failure` / `retryAfterSeconds`, which clear). */
export function resolveJobOptions(base: ResolvedJobOptions, patch: SimJobOptions | undefined): ResolvedJobOptions {
  if (patch === undefined) return base;
  if (!patch || typeof patch !== "object") throw new ConfigurationError(`jobs must be an object of job options (got ${JSON.stringify(patch)})`);
  for (const key of Object.keys(patch)) {
    if (!FIELDS.has(key)) throw new ConfigurationError(`Unknown jobs option "${key}". Known: ${[...FIELDS].join(", ")}`);
  }
  const o: ResolvedJobOptions = {
    processingMs: patch.processingMs ?? base.processingMs,
    results: patch.results ?? base.results,
    pageSize: patch.pageSize ?? base.pageSize,
    failure: "failure" in patch ? patch.failure : base.failure,
    retryAfterSeconds: "retryAfterSeconds" in patch ? patch.retryAfterSeconds : base.retryAfterSeconds,
  };
  integer("jobs.processingMs", o.processingMs, 0, 86_400_000);
  integer("jobs.results", o.results, 0, 1_000_000);
  integer("jobs.pageSize", o.pageSize, 1, 1_000);
  if (o.retryAfterSeconds !== undefined) integer("jobs.retryAfterSeconds", o.retryAfterSeconds, 1, 86_400);
  if (o.failure !== undefined) {
    const { state, message } = (o.failure ?? {}) as { state?: unknown; message?: unknown };
    if (!FAILURE_STATES.has(state as string))
      throw new ConfigurationError(`jobs.failure.state must be FAILED, CANCELLED or EXPIRED (got ${JSON.stringify(state)})`);
    if (message !== undefined && typeof message !== "string") throw new ConfigurationError("jobs.failure.message must be a string");
    o.failure = { ...o.failure };
  }
  return o;
}

function integer(name: string, value: unknown, min: number, max: number): void {
  if (typeof value !== "number" || !Number.isInteger(value) || value < min || value > max) {
    throw new ConfigurationError(`${name} must be an integer from ${min} to ${max} (got ${JSON.stringify(value)})`);
  }
}
