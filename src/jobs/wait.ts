// Waiting for a submitted job: sleep (abort-aware), poll its status with the client's GET, stop on a terminal state.
import { JobError } from "../errors.js";
import { neverAborted, sleep } from "../resilience/abort.js";
import { retryAfterMs } from "../resilience/retry-after.js";
import type { JobFamily } from "./families.js";
import type { ResolvedJobOptions } from "./options.js";
import { createPollSchedule } from "./poll-schedule.js";
import { isObject } from "../validate.js";

export type CallResult = { data?: unknown; error?: unknown; response: Response };
export type Call = (method: "GET" | "POST" | "DELETE", path: string, init: Record<string, unknown>) => Promise<CallResult>;

export interface WaitContext {
  call: Call;
  family: JobFamily;
  jobId: string;
  /** Path parameters of the status path (the job id, and the submit path's own). */
  pathParams: Record<string, unknown>;
  options: ResolvedJobOptions;
  /** Per-call options of every poll (`signal`, `resilience`). */
  callInit: Record<string, unknown>;
  signal: AbortSignal | undefined;
  onStatus: ((status: Record<string, unknown>) => void) | undefined;
}

/**
 * Polls until the job is done and returns its last status; throws `JobError` on a failure state, an answer
 * without a state, or `maxWaitMs`; rejects with the signal's reason the moment it aborts (no poll after that).
 */
export async function waitForJob(ctx: WaitContext, submitAnswer: Record<string, unknown>): Promise<Record<string, unknown>> {
  const { call, family, options, signal = neverAborted } = ctx;
  const schedule = createPollSchedule(options.poll);
  const deadline = Date.now() + options.maxWaitMs;
  // An audit query's submit answer already carries a state; an analytics job's does not.
  let status: Record<string, unknown> | undefined = typeof submitAnswer[family.state] === "string" ? submitAnswer : undefined;
  let retryAfter: number | undefined;
  for (;;) {
    if (status && isDone(ctx, status)) return status;
    const remaining = deadline - Date.now();
    if (remaining <= 0) throw jobError(ctx, "timeout", status, `did not finish within maxWaitMs (${options.maxWaitMs} ms)`);
    await sleep(Math.min(schedule.next(retryAfter), remaining), signal);
    const result = await call("GET", family.statusPath, { ...ctx.callInit, params: { path: ctx.pathParams } });
    if (result.error !== undefined) throw result.error;
    if (!isObject(result.data)) throw jobError(ctx, "invalid-answer", undefined, "answered a status that is not a JSON object");
    status = result.data;
    retryAfter = retryAfterMs(result.response.headers);
    ctx.onStatus?.(status);
  }
}

/** true when done, false while running; throws `JobError` on a failure state or a status without one. */
function isDone(ctx: WaitContext, status: Record<string, unknown>): boolean {
  const { family } = ctx;
  const state = status[family.state];
  if (typeof state !== "string") throw jobError(ctx, "invalid-answer", status, `answered a status without "${family.state}"`);
  if (family.done.includes(state.toUpperCase())) return true;
  if (family.failed.includes(state.toUpperCase())) {
    const message = serverMessage(status);
    throw jobError(ctx, "failed", status, `ended ${state}${message ? `: ${message}` : " (the server gave no reason)"}`);
  }
  return false;
}

function jobError(ctx: WaitContext, reason: JobError["reason"], status: Record<string, unknown> | undefined, what: string): JobError {
  const { family, jobId } = ctx;
  const state = status?.[family.state];
  return new JobError(
    `Job ${jobId} of POST ${family.submitPath} ${what}.`,
    reason,
    jobId,
    typeof state === "string" ? state : undefined,
    status && serverMessage(status),
    { method: "GET", path: family.statusPath },
  );
}

/** The server's explanation: `errorMessage` (analytics), else `error.message` / `message` where a family has them. */
function serverMessage(status: Record<string, unknown>): string | undefined {
  const error = status.error;
  const candidates = [status.errorMessage, isObject(error) ? error.message : error, status.message];
  return candidates.find((c): c is string => typeof c === "string" && c !== "");
}
