// What `gc.jobs` does once a call has passed its checks (jobs.ts): submit, wait, page the results, cancel on abort.
// Loaded with the first job, not with every client.
import { AbortedError, ConfigurationError, JobError } from "../errors.js";
import { isObject } from "../validate.js";
import { listJobFamilies, type JobFamily } from "./families.js";
import type { ResolvedJobOptions } from "./options.js";
import type { JobAvailabilityOptions, JobOptions } from "./types.js";
import { waitForJob, type Call } from "./wait.js";

export interface JobsDeps {
  /** The client's call: method, path template, openapi-fetch init → `{ data, error, response }`. */
  call: Call;
  /** The client's pager: walks a listing whose page items are under `items`, following its cursor. */
  pages(path: string, init: Record<string, unknown>, items: string): AsyncGenerator<Record<string, unknown>, void, undefined>;
}

/** Whatever was in progress when `signal` aborted (submit, wait, a results page) ends with `AbortedError`. */
export async function* jobPages(deps: JobsDeps, family: JobFamily, init: Record<string, unknown>, options: JobOptions, resolved: ResolvedJobOptions) {
  const { signal } = options;
  let operation = { method: "POST", path: family.submitPath };
  try {
    yield* submitWaitAndPage(deps, family, init, options, resolved, (path) => (operation = { method: "GET", path }));
  } catch (error) {
    if (signal?.aborted && !(error instanceof AbortedError)) throw new AbortedError(operation, signal.reason);
    throw error;
  }
}

async function* submitWaitAndPage(
  { call, pages: walk }: JobsDeps,
  family: JobFamily,
  init: Record<string, unknown>,
  options: JobOptions,
  resolved: ResolvedJobOptions,
  phase: (path: string) => void,
) {
  const { signal, resilience } = options;
  const callInit = { signal, resilience };
  const submitted = await call("POST", family.submitPath, { ...init, ...callInit });
  if (submitted.error !== undefined) throw submitted.error;
  const answer = isObject(submitted.data) ? submitted.data : {};
  const jobId = answer[family.id];
  if (typeof jobId !== "string" || jobId === "") {
    const operation = { method: "POST", path: family.submitPath };
    throw new JobError(
      `POST ${family.submitPath} answered without a job id ("${family.id}"); nothing to wait for.`,
      "invalid-answer",
      undefined,
      undefined,
      undefined,
      operation,
    );
  }
  options.onSubmit?.(jobId);
  const pathParams = { ...(init.params as { path?: object } | undefined)?.path, [family.param]: jobId };
  const onStatus = options.onStatus && ((status: Record<string, unknown>) => options.onStatus!(status, jobId));
  if (onStatus && typeof answer[family.state] === "string") onStatus(answer);

  phase(family.statusPath);
  try {
    await waitForJob({ call, family, jobId, pathParams, options: resolved, callInit, signal, onStatus }, answer);
  } catch (error) {
    if (signal?.aborted || (error instanceof JobError && error.reason === "timeout")) await cancel(call, family, pathParams, resolved, resilience);
    throw error;
  }
  phase(family.resultsPath);
  yield* walk(family.resultsPath, { ...callInit, params: { path: pathParams, query: options.resultsQuery } }, family.items);
}

/** Best effort, bounded by `cancelTimeoutMs`: the caller is already leaving. */
async function cancel(call: Call, family: JobFamily, pathParams: Record<string, unknown>, resolved: ResolvedJobOptions, resilience: JobOptions["resilience"]) {
  if (!family.cancel || !resolved.cancelOnAbort || resolved.cancelTimeoutMs === 0) return;
  const signal = AbortSignal.timeout(resolved.cancelTimeoutMs);
  await call("DELETE", family.statusPath, { params: { path: pathParams }, signal, resilience }).catch(() => undefined);
}

export async function availability(call: Call, family: JobFamily, { signal, resilience }: JobAvailabilityOptions): Promise<Date> {
  const path = family.submitPath;
  if (!family.availability)
    throw new ConfigurationError(
      `${path} has no availability endpoint in the spec; these do: ${listJobFamilies()
        .filter((f) => f.availability)
        .map((f) => f.submitPath)
        .join(", ")}.`,
    );
  const operation = { method: "GET", path: `${path}/availability` };
  const { data, error } = await call("GET", operation.path, { signal, resilience });
  if (error !== undefined) throw error;
  const raw = isObject(data) ? data.dataAvailabilityDate : undefined;
  const date = typeof raw === "string" ? new Date(raw) : undefined;
  if (!date || Number.isNaN(date.getTime())) {
    throw new JobError(`GET ${operation.path} answered without a valid dataAvailabilityDate.`, "invalid-answer", undefined, undefined, undefined, operation);
  }
  return date;
}
