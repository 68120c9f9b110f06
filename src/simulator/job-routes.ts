// Async job endpoints on the spec's paths: analytics conversation and user details jobs (AsyncQueryResponse →
// AsyncQueryStatus → cursor-paged results, DELETE cancels) and audit queries (AuditQueryExecutionStatusResponse →
// AuditQueryExecutionResultsResponse), plus the analytics jobs' data availability.
import { auditMessage } from "./data.js";
import { badRequest, notFound, SimHttpError } from "./errors.js";
import { analyticsConversation, analyticsUserDetail } from "./job-data.js";
import { jobPhase, type JobPhase, type SimJob } from "./jobs.js";
import { decodeCursor, encodeCursor, intParam, range } from "./paging.js";
import { jsonObjectBody, jsonReply, type Reply, type SimRequest } from "./reply.js";
import type { RouteContext } from "./routes.js";

interface Family {
  submit: string;
  param: string;
  /** The family's name for each phase (the spec's enum). */
  states: Record<JobPhase, string>;
  submitStatus: number;
  submitAnswer(job: SimJob, state: string, now: number): unknown;
  status(job: SimJob, state: string, now: number): unknown;
  page(job: SimJob, items: unknown[], pageSize: number, cursor: string | undefined): unknown;
  item(i: number, users: number): unknown;
  maxPageSize: number;
  cancel: boolean;
}

const ANALYTICS_STATES: Record<JobPhase, string> = {
  queued: "QUEUED",
  running: "PENDING",
  done: "FULFILLED",
  failed: "FAILED",
  cancelled: "CANCELLED",
  expired: "EXPIRED",
};
const AUDIT_STATES: Record<JobPhase, string> = {
  queued: "Queued",
  running: "Running",
  done: "Succeeded",
  failed: "Failed",
  cancelled: "Cancelled",
  expired: "Failed",
};
const DAY = 86_400_000;
/** A performance.now() moment as an ISO date. */
const wallClock = (now: number, at: number) => new Date(Date.now() - (now - at)).toISOString();
/** Data is complete up to five minutes ago, to the minute (as Genesys's lag). */
const availability = () => new Date(Math.floor((Date.now() - 300_000) / 60_000) * 60_000).toISOString();

function analytics(submit: string, items: string, item: Family["item"]): Family {
  return {
    submit,
    param: "jobId",
    states: ANALYTICS_STATES,
    submitStatus: 202,
    submitAnswer: (job) => ({ jobId: job.id }),
    status(job, state, now) {
      const ended = state !== "QUEUED" && state !== "PENDING";
      const failedOnServer = ended && job.deletedAt === undefined && job.options.failure !== undefined;
      return {
        state,
        errorMessage: failedOnServer ? job.options.failure?.message : undefined,
        expirationDate: wallClock(now, job.submittedAt + 2 * DAY),
        submissionDate: wallClock(now, job.submittedAt),
        completionDate: ended ? wallClock(now, job.deletedAt ?? job.submittedAt + job.options.processingMs) : undefined,
      };
    },
    page: (_job, list, _pageSize, cursor) => ({ [items]: list, cursor, dataAvailabilityDate: availability() }),
    item,
    maxPageSize: 1_000,
    cancel: true,
  };
}

function auditStatus(job: SimJob, state: string, now: number) {
  const { interval, serviceName, filters, sort } = job.body;
  return { id: job.id, state, startDate: wallClock(now, job.submittedAt), interval, serviceName, filters, sort };
}

const FAMILIES: Family[] = [
  analytics("/api/v2/analytics/conversations/details/jobs", "conversations", analyticsConversation),
  analytics("/api/v2/analytics/users/details/jobs", "userDetails", analyticsUserDetail),
  {
    submit: "/api/v2/audits/query",
    param: "transactionId",
    states: AUDIT_STATES,
    submitStatus: 200,
    submitAnswer: auditStatus,
    status: auditStatus,
    page: (job, list, pageSize, cursor) => ({ id: job.id, pageSize, cursor, entities: list }),
    item: auditMessage,
    maxPageSize: 500,
    cancel: false,
  },
];

/** The state `stats().jobs` reports for a job: its family's name for the phase. */
export function jobStateName(job: SimJob, phase: JobPhase): string {
  return (FAMILIES.find((f) => f.submit === job.family)?.states ?? ANALYTICS_STATES)[phase];
}

export interface JobRoute {
  method: string;
  template: string;
  handle(req: SimRequest, ctx: RouteContext): Reply;
}

const ok = (body: unknown, headers?: Record<string, string>) => jsonReply(200, body, headers);

function routesOf(family: Family): JobRoute[] {
  const status = `${family.submit}/{${family.param}}`;
  const jobOf = (req: SimRequest, ctx: RouteContext) => {
    const job = ctx.jobs.find(family.submit, req.params[family.param]);
    if (!job) throw notFound(`Unable to find a job with id [${req.params[family.param].slice(0, 80)}]`);
    return job;
  };
  const routes: JobRoute[] = [
    {
      method: "POST",
      template: family.submit,
      handle(req, ctx) {
        const job = ctx.jobs.submit(family.submit, queryBody(req), ctx.options.jobs, ctx.now);
        return jsonReply(family.submitStatus, family.submitAnswer(job, family.states.queued, ctx.now));
      },
    },
    {
      method: "GET",
      template: status,
      handle(req, ctx) {
        const job = jobOf(req, ctx);
        job.pollTimes.push(ctx.now);
        const phase = jobPhase(job, ctx.now);
        const { retryAfterSeconds } = job.options;
        const headers: Record<string, string> =
          retryAfterSeconds !== undefined && (phase === "queued" || phase === "running") ? { "retry-after": String(retryAfterSeconds) } : {};
        return ok(family.status(job, family.states[phase], ctx.now), headers);
      },
    },
    {
      method: "GET",
      template: `${status}/results`,
      handle(req, ctx) {
        const job = ctx.jobs.find(family.submit, req.params[family.param]);
        // An audit transaction the simulator never ran is served as a ready listing (the cursor-paging fixture).
        if (!job && family.submit === "/api/v2/audits/query") return ok(readyAuditListing(req, ctx));
        return ok(resultsPage(family, job ?? jobOf(req, ctx), req, ctx));
      },
    },
  ];
  if (family.cancel) {
    routes.push({
      method: "DELETE",
      template: status,
      handle(req, ctx) {
        const job = jobOf(req, ctx);
        job.deletedAt ??= ctx.now;
        return { status: 204, headers: {}, body: "" };
      },
    });
  }
  return routes;
}

function resultsPage(family: Family, job: SimJob, req: SimRequest, ctx: RouteContext) {
  const phase = jobPhase(job, ctx.now);
  if (phase !== "done") {
    throw new SimHttpError(409, "request.conflict", `Job ${job.id} is ${family.states[phase]}: results exist once it is ${family.states.done}.`);
  }
  const total = job.options.results;
  const pageSize = intParam(req.query, "pageSize", { def: Math.min(job.options.pageSize, family.maxPageSize), min: 1, max: family.maxPageSize });
  const start = decodeCursor("jobs", req.query.get("cursor"), total);
  const end = Math.min(total, start + pageSize);
  job.resultPages++;
  const list = range(start, end, (i) => family.item(i, ctx.options.users));
  return family.page(job, list, pageSize, end < total ? encodeCursor("jobs", end) : undefined);
}

function readyAuditListing(req: SimRequest, { options }: RouteContext) {
  const total = options.cursorItems;
  const pageSize = intParam(req.query, "pageSize", { def: 25, min: 1, max: 500 });
  const start = decodeCursor("audits", req.query.get("cursor"), total);
  const end = Math.min(total, start + pageSize);
  const make = (i: number) => auditMessage(i, options.users);
  return { id: req.params.transactionId, pageSize, cursor: end < total ? encodeCursor("audits", end) : undefined, entities: range(start, end, make) };
}

/** The query body every family needs: a JSON object with an ISO-8601 `interval` ("start/end"). */
function queryBody(req: SimRequest): Record<string, unknown> {
  const body = jsonObjectBody(req);
  if (typeof body.interval !== "string" || !/^[^/]+\/[^/]+$/.test(body.interval)) {
    throw badRequest("interval is required: an ISO-8601 interval such as 2025-01-01T00:00:00Z/2025-01-02T00:00:00Z");
  }
  return body;
}

/** Literal paths first: `…/jobs/availability` must win over `…/jobs/{jobId}`. */
export const JOB_ROUTES: JobRoute[] = [
  ...["/api/v2/analytics/conversations/details/jobs", "/api/v2/analytics/users/details/jobs"].map((submit) => ({
    method: "GET",
    template: `${submit}/availability`,
    handle: () => ok({ dataAvailabilityDate: availability() }),
  })),
  ...FAMILIES.flatMap(routesOf),
];
