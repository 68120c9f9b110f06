// Async job families of a Swagger 2.0 spec: `POST S` submits, `GET S/{id}` answers a state, `GET S/{id}/results`
// pages the results by cursor. Read at generation time into a small table (src/generated/jobs.ts) for
// `gc.jobs.run()`, and surveyed in full by `npm run jobs:survey`.
import type { SwaggerDocument } from "./spec-source.js";

/** What the runtime needs to know about one job family (one row of the generated table). */
export interface JobFamilyRow {
  /** Field of the submit answer holding the job's id (`jobId`, `id`). */
  id: string;
  /** Path parameter of the status path (`jobId`, `transactionId`). */
  param: string;
  /** Field of the status answer holding the state. */
  state: string;
  /** States meaning "finished, results ready", as the spec spells them. */
  done: string[];
  /** States meaning "ended without results". */
  failed: string[];
  /** Field of a results page holding the items (`conversations`, `userDetails`, `entities`, `results`). */
  items: string;
  /** 1 when the status path has a DELETE (cancels the job). */
  cancel: 0 | 1;
  /** 1 when `GET S/availability` exists (the date up to which the data is complete). */
  availability: 0 | 1;
}

/** Why a job-like family is not in the table; undefined when it fits. */
export type JobMisfit =
  | "no results endpoint"
  | "results not cursor-paged"
  | "results without one items list"
  | "submit answer has no id"
  | "state not classified"
  | "no state in status answer";

export interface JobCandidate {
  /** Submit path (`POST`). */
  submit: string;
  /** Status path (`GET`). */
  status: string;
  /** The states the spec lists, when it lists them. */
  states: string[];
  misfit: JobMisfit | undefined;
  /** Set when the family fits. */
  row: JobFamilyRow | undefined;
}

// States compared without case and punctuation: Genesys mixes `FULFILLED`, `Succeeded`, `IN_PROGRESS`.
const DONE = new Set(["FULFILLED", "SUCCEEDED", "SUCCESS", "SUCCESSFUL", "COMPLETED", "COMPLETE", "DONE", "FINISHED"]);
const FAILED = new Set(["FAILED", "FAILURE", "CANCELLED", "CANCELED", "EXPIRED", "ERROR", "ERRORED", "ABORTED", "TERMINATED", "TIMEDOUT", "REJECTED"]);
const PENDING = new Set([
  "QUEUED",
  "PENDING",
  "RUNNING",
  "IDLE",
  "INPROGRESS",
  "PROCESSING",
  "SUBMITTED",
  "STARTED",
  "CREATED",
  "NEW",
  "SCHEDULED",
  "WAITING",
  "ACCEPTED",
  "REGISTERED",
]);
const norm = (state: string) => state.toUpperCase().replace(/[^A-Z]/g, "");
// Submit paths whose name says "job" even when the status answer is not an object with a state (the survey counts them).
const JOB_NAME = /\/(jobs|publishjobs|query|exports?|imports?|batchrequests)$/;

interface Schema {
  $ref?: string;
  type?: string;
  enum?: unknown[];
  items?: Schema;
  properties?: Record<string, Schema>;
}
interface Operation {
  parameters?: { name: string; in: string }[];
  responses?: Record<string, { schema?: Schema }>;
}

/** Every job-like family of the spec, sorted by submit path, each with why it does not fit (or its row). */
export function surveyJobFamilies(doc: SwaggerDocument): JobCandidate[] {
  const paths = doc.paths as Record<string, Record<string, Operation | undefined>>;
  const defs = (doc.definitions ?? {}) as Record<string, Schema>;
  const deref = (s: Schema | undefined): Schema | undefined => (s?.$ref ? deref(defs[s.$ref.replace("#/definitions/", "")]) : s);
  const answer = (op: Operation | undefined) => deref(["200", "201", "202"].map((c) => op?.responses?.[c]?.schema).find(Boolean));
  const out: JobCandidate[] = [];

  // `S/{param}` paths with a GET, by `S`.
  const statusPaths = new Map<string, { status: string; param: string }[]>();
  for (const status of Object.keys(paths).sort()) {
    const match = /^(.+)\/\{([^{}/]+)\}$/.exec(status);
    if (match && paths[status].get) statusPaths.set(match[1], [...(statusPaths.get(match[1]) ?? []), { status, param: match[2] }]);
  }

  for (const submit of Object.keys(paths).sort()) {
    if (!paths[submit].post) continue;
    for (const { status, param } of statusPaths.get(submit) ?? []) {
      const statusBody = answer(paths[status].get);
      const stateField = ["state", "status"].find((f) => deref(statusBody?.properties?.[f])?.enum);
      const states = ((stateField ? deref(statusBody?.properties?.[stateField]) : statusBody)?.enum ?? []).map(String);
      const classified = states.every((s) => DONE.has(norm(s)) || FAILED.has(norm(s)) || PENDING.has(norm(s)));
      const jobLike = JOB_NAME.test(submit) || (classified && states.some((s) => DONE.has(norm(s))) && states.some((s) => FAILED.has(norm(s))));
      if (!jobLike) continue; // a resource with a lifecycle (users, deployments), not a job
      out.push({ submit, status, states, ...classify(submit, status, param, stateField, states) });
    }
  }
  return out;

  function classify(submit: string, status: string, param: string, stateField: string | undefined, states: string[]): Pick<JobCandidate, "misfit" | "row"> {
    const no = (misfit: JobMisfit) => ({ misfit, row: undefined });
    if (!stateField) return no("no state in status answer");
    if (!states.every((s) => DONE.has(norm(s)) || FAILED.has(norm(s)) || PENDING.has(norm(s))) || !states.some((s) => DONE.has(norm(s)))) {
      return no("state not classified");
    }
    const submitProps = Object.keys(answer(paths[submit].post)?.properties ?? {});
    const id = [param, "jobId", "id"].find((f) => submitProps.includes(f));
    if (!id) return no("submit answer has no id");
    const resultsPath = paths[`${status}/results`];
    if (!resultsPath?.get) return no("no results endpoint");
    const query = [...((resultsPath.parameters as Operation["parameters"]) ?? []), ...(resultsPath.get.parameters ?? [])];
    const page = answer(resultsPath.get);
    if (!query.some((p) => p.in === "query" && p.name === "cursor") || deref(page?.properties?.cursor)?.type !== "string")
      return no("results not cursor-paged");
    const lists = Object.entries(page?.properties ?? {}).filter(([, s]) => deref(s)?.type === "array");
    if (lists.length !== 1) return no("results without one items list");
    const row: JobFamilyRow = {
      id,
      param,
      state: stateField,
      done: states.filter((s) => DONE.has(norm(s))),
      failed: states.filter((s) => FAILED.has(norm(s))),
      items: lists[0][0],
      cancel: paths[status].delete ? 1 : 0,
      availability: paths[`${submit}/availability`]?.get ? 1 : 0,
    };
    return { misfit: undefined, row };
  }
}

/** The generated `jobs.ts`: the families that fit, by submit path. */
export function renderJobTable(doc: SwaggerDocument, header: string): string {
  const rows = surveyJobFamilies(doc).filter((c) => c.row);
  return (
    header +
    "/** Async job families (submit → status → cursor-paged results), by submit path. Read by `gc.jobs`. */\n" +
    `export const jobFamilies = {\n${rows.map((c) => `  ${JSON.stringify(c.submit)}: ${JSON.stringify(c.row)},`).join("\n")}\n} as const;\n`
  );
}
