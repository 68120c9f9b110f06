// The simulator's async jobs: each one moves QUEUED → PENDING → its end state as time passes since submission,
// keeps the options it was submitted under, and counts the status polls and results pages it served.
import { randomUUID } from "node:crypto";
import type { ResolvedJobOptions } from "./job-options.js";
import type { SimJobRecord } from "./types.js";

/** Where a job is, whatever the family calls it. */
export type JobPhase = "queued" | "running" | "done" | "failed" | "cancelled" | "expired";

export interface SimJob {
  id: string;
  family: string;
  options: ResolvedJobOptions;
  /** The submitted body (a JSON object). */
  body: Record<string, unknown>;
  /** performance.now() at submission. */
  submittedAt: number;
  deletedAt: number | undefined;
  pollTimes: number[];
  resultPages: number;
}

export interface JobStore {
  submit(family: string, body: Record<string, unknown>, options: ResolvedJobOptions, now: number): SimJob;
  /** The job `id` of `family`, or undefined. */
  find(family: string, id: string): SimJob | undefined;
  /** All jobs as `stats().jobs` lists them; `stateOf` names a phase in the job's family. */
  records(now: number, stateOf: (job: SimJob, phase: JobPhase) => string): SimJobRecord[];
  reset(): void;
}

/** Where `job` is at `now`: cancelled once deleted, else by the time since submission. */
export function jobPhase(job: SimJob, now: number): JobPhase {
  if (job.deletedAt !== undefined) return "cancelled";
  const elapsed = now - job.submittedAt;
  if (elapsed < job.options.processingMs / 4) return "queued";
  if (elapsed < job.options.processingMs) return "running";
  const failure = job.options.failure?.state;
  return failure === "FAILED" ? "failed" : failure === "CANCELLED" ? "cancelled" : failure === "EXPIRED" ? "expired" : "done";
}

export function createJobStore(startedAt: number): JobStore {
  let jobs = new Map<string, SimJob>();
  return {
    submit(family, body, options, now) {
      const job: SimJob = { id: randomUUID(), family, options, body, submittedAt: now, deletedAt: undefined, pollTimes: [], resultPages: 0 };
      jobs.set(job.id, job);
      return job;
    },
    find(family, id) {
      const job = jobs.get(id);
      return job?.family === family ? job : undefined;
    },
    records(now, stateOf) {
      return [...jobs.values()].map((job) => ({
        id: job.id,
        family: job.family,
        state: stateOf(job, jobPhase(job, now)),
        submittedAt: job.submittedAt - startedAt,
        polls: job.pollTimes.length,
        pollTimes: job.pollTimes.map((t) => t - startedAt),
        resultPages: job.resultPages,
        deletedAt: job.deletedAt === undefined ? undefined : job.deletedAt - startedAt,
      }));
    },
    reset() {
      jobs = new Map();
    },
  };
}
