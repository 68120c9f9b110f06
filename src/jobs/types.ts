// Types of `gc.jobs`: which submit paths are job families, what a status, a results page and an item are, and the
// options. Everything is looked up from the generated job table (its keys and fields) into `Paths`, one family at a
// time, so no mapped type walks all the spec's paths.
import type { MaybeOptionalInit } from "openapi-fetch";
import type { RequiredKeysOf } from "openapi-typescript-helpers";
import type { jobFamilies } from "../generated/jobs.js";
import type { PageOf } from "../pagination/types.js";
import type { CallResilienceOptions } from "../resilience/types.js";

type Families = typeof jobFamilies;
type Family<P> = Families[P & JobSubmitPath];

/** Submit path (`POST`) of an async job family: submit → status → cursor-paged results, e.g. `/api/v2/analytics/conversations/details/jobs`. */
export type JobSubmitPath = keyof Families & string;

/** Submit paths whose family has a `…/availability` endpoint (the date up to which the data is complete). */
export type JobAvailabilityPath = { [P in JobSubmitPath]: Families[P]["availability"] extends 1 ? P : never }[JobSubmitPath];

/** The status path of family `P`, e.g. `/api/v2/analytics/conversations/details/jobs/{jobId}`. */
export type JobStatusPath<P> = `${P & string}/{${Family<P>["param"]}}`;

/** The results path of family `P`, e.g. `/api/v2/analytics/conversations/details/jobs/{jobId}/results`. */
export type JobResultsPath<P> = `${JobStatusPath<P>}/results`;

/** A status answer of family `P` (`AsyncQueryStatus`, `AuditQueryExecutionStatusResponse`, …). */
export type JobStatus<Paths, P> = PageOf<Paths, JobStatusPath<P>>;

/** One results page of family `P` (`AnalyticsConversationAsyncQueryResponse`, …). */
export type JobPage<Paths, P> = PageOf<Paths, JobResultsPath<P>>;

/** One result item of family `P`: an element of the page's items field (`conversations`, `userDetails`, `entities`). */
export type JobItem<Paths, P> = JobPage<Paths, P> extends { [K in Family<P>["items"]]?: (infer Item)[] } ? Item : never;

/** The submit POST's own init (`body`, `params`, `headers`), as `gc.POST(P, init)` takes it. */
export type JobInit<Paths, P> = MaybeOptionalInit<Paths[P & keyof Paths] & Record<string, unknown>, "post">;

/** Query parameters of the results GET other than the cursor (`pageSize`, `expand`, …). */
export type JobResultsQuery<Paths, P> = Paths[JobResultsPath<P> & keyof Paths] extends { get: { parameters: { query?: infer Q } } }
  ? Omit<NonNullable<Q>, "cursor">
  : never;

/** How the wait between status polls grows. */
export interface JobPollOptions {
  /** The first wait after submitting, and the shortest wait between two polls, in ms. @default 1000 */
  initialDelayMs?: number;
  /** Growth of the waits: the n-th poll comes about `initialDelayMs × factor^n` after submitting (decorrelated jitter). @default 2 */
  factor?: number;
  /** The longest wait between two polls, in ms. A status answer's `Retry-After` can make one wait longer. @default 30000 */
  maxDelayMs?: number;
}

/** Options of `gc.jobs.run()` / `gc.jobs.pages()`. */
export interface JobOptions<Status = unknown, Query = Record<string, unknown>> {
  /** Cancels the job: ends the wait at once (no further poll), DELETEs the job where the API can, throws `AbortedError`. */
  signal?: AbortSignal;
  /** Poll intervals. */
  poll?: JobPollOptions;
  /** Longest wait for the job to finish, in ms; past it the job is cancelled (where possible) and `JobError` (`timeout`) is thrown. @default 3600000 */
  maxWaitMs?: number;
  /** Query parameters of every results page (`pageSize`, …); the cursor is the SDK's. @default none (the server's page size) */
  resultsQuery?: Query;
  /** Per-call resilience overrides for every request of the job (submit, polls, results, cancel). */
  resilience?: CallResilienceOptions;
  /** DELETE the job when `signal` aborts the wait or `maxWaitMs` passes (families whose API has a DELETE). @default true */
  cancelOnAbort?: boolean;
  /** How long the cancelling DELETE may take before it is given up (the abort waits for it that long at most), in ms. @default 2000 */
  cancelTimeoutMs?: number;
  /** Called once with the job's id, right after the submit answer. */
  onSubmit?: (jobId: string) => void;
  /** Called with every status answer (the submit answer too when it carries a state). */
  onStatus?: (status: Status, jobId: string) => void;
}

/** `[init, options]` of `gc.jobs.run(path, init, options)`: `init` is optional only when the POST needs nothing. */
export type JobArgs<Paths, P> =
  RequiredKeysOf<JobInit<Paths, P>> extends never
    ? [init?: JobInit<Paths, P>, options?: JobOptions<JobStatus<Paths, P>, JobResultsQuery<Paths, P>>]
    : [init: JobInit<Paths, P>, options?: JobOptions<JobStatus<Paths, P>, JobResultsQuery<Paths, P>>];

/** Options of `gc.jobs.availability()`. */
export interface JobAvailabilityOptions {
  signal?: AbortSignal;
  resilience?: CallResilienceOptions;
}

/** `gc.jobs`: async jobs (submit, wait, stream the results) of the families in `JobSubmitPath`. */
export interface Jobs<Paths extends {}> {
  /**
   * Submits the job, polls its status with growing intervals until it finishes, then yields every result item,
   * following the cursor to the end: `for await (const c of gc.jobs.run("/api/v2/analytics/conversations/details/jobs", { body }))`.
   * Nothing is sent until the first `next()`. A failure state throws `JobError`; `signal` cancels (`AbortedError`).
   */
  run<P extends JobSubmitPath>(path: P, ...args: JobArgs<Paths, P>): AsyncGenerator<JobItem<Paths, P>, void, undefined>;
  /** Like `run()`, yielding whole typed results pages (`conversations`, `cursor`, `dataAvailabilityDate`, …). */
  pages<P extends JobSubmitPath>(path: P, ...args: JobArgs<Paths, P>): AsyncGenerator<JobPage<Paths, P>, void, undefined>;
  /**
   * The date up to which the family's data is complete (`GET …/jobs/availability`): a job's interval past it
   * returns partial data. Default family: analytics conversation details.
   */
  availability(path?: JobAvailabilityPath, options?: JobAvailabilityOptions): Promise<Date>;
}
