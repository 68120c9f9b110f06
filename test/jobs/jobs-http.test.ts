// gc.jobs against the simulator over real HTTP: submit, poll, stream; failures, aborts, timeouts, Retry-After.
import { beforeEach, describe, expect, it } from "vitest";
import { AbortedError, ConfigurationError, GenesysApiError, JobError } from "../../src/index.js";
import { entityId } from "../../src/simulator/data.js";
import type { Simulator, SimJobRecord } from "../../src/simulator/index.js";
import { simClient, sleep, useSharedSim } from "../support/sim-client.js";

let sim: Simulator;
let token: string;
useSharedSim((shared) => ({ sim, token } = shared));
beforeEach(() => sim.configure({ jobs: { processingMs: 60, results: 30, pageSize: 10, failure: undefined, retryAfterSeconds: undefined } }));

const CONVERSATIONS = "/api/v2/analytics/conversations/details/jobs";
const USERS = "/api/v2/analytics/users/details/jobs";
const AUDITS = "/api/v2/audits/query";
const body = { interval: "2025-01-06T00:00:00Z/2025-01-07T00:00:00Z" };
/** Short polls for everything but the Done-when job, which runs on the defaults. */
const fast = { poll: { initialDelayMs: 20, maxDelayMs: 40 } };

const onlyJob = (): SimJobRecord => {
  const { jobs } = sim.stats();
  expect(jobs).toHaveLength(1);
  return jobs[0];
};
const count = (key: string) => Object.values(sim.stats().byRoute[key] ?? {}).reduce((a, b) => a + b, 0);

async function collect<T>(items: AsyncIterable<T>): Promise<T[]> {
  const out: T[] = [];
  for await (const item of items) out.push(item);
  return out;
}

async function failure(items: AsyncIterable<unknown>): Promise<unknown> {
  try {
    await collect(items);
  } catch (error) {
    return error;
  }
  throw new Error("the job did not fail");
}

describe("gc.jobs.run()", () => {
  it("a 3 s conversation details job with 2,500 results yields exactly 2,500 typed items in order, with at most 8 status polls (default polling)", async () => {
    sim.configure({ jobs: { processingMs: 3_000, results: 2_500, pageSize: 100 } });
    const gc = simClient(sim, token);
    const ids = (await collect(gc.jobs.run(CONVERSATIONS, { body }))).map((c) => c.conversationId);
    expect(ids).toEqual(Array.from({ length: 2_500 }, (_, i) => entityId(0xad000009, i)));
    const job = onlyJob();
    expect(job).toMatchObject({ family: CONVERSATIONS, state: "FULFILLED", resultPages: 25 });
    expect(job.polls).toBeGreaterThanOrEqual(1);
    expect(job.polls).toBeLessThanOrEqual(8);
    // Every poll came after the submission; the results only after the last poll.
    expect(count(`GET ${CONVERSATIONS}/{jobId}/results`)).toBe(25);
  }, 30_000);

  it("user details jobs yield `userDetails`; pages() yields whole pages with the cursor and resultsQuery", async () => {
    const gc = simClient(sim, token);
    const users = await collect(gc.jobs.run(USERS, { body }, fast));
    expect(users).toHaveLength(30);
    expect(users[0].primaryPresence?.[0]?.systemPresence).toBe("AVAILABLE");
    const pages = await collect(gc.jobs.pages(USERS, { body }, { ...fast, resultsQuery: { pageSize: 12 } }));
    expect(pages.map((p) => p.userDetails?.length)).toEqual([12, 12, 6]);
    expect(pages.map((p) => typeof p.cursor)).toEqual(["string", "string", "undefined"]);
    expect(pages[0].dataAvailabilityDate).toMatch(/^\d{4}-\d\d-\d\dT/);
  });

  it("an audit query works through the same helper: Queued → Running → Succeeded, entities in order", async () => {
    sim.configure({ jobs: { processingMs: 100, results: 45, pageSize: 20 } });
    const gc = simClient(sim, token);
    const states: string[] = [];
    const entries = await collect(
      gc.jobs.run(AUDITS, { body: { ...body, serviceName: "Architect" } }, { ...fast, onStatus: (s) => void states.push(String(s.state)) }),
    );
    expect(entries.map((e) => e.id)).toEqual(Array.from({ length: 45 }, (_, i) => entityId(0xa0000004, i)));
    expect(states[0]).toBe("Queued"); // the submit answer
    expect(states.at(-1)).toBe("Succeeded");
    const order = ["Queued", "Running", "Succeeded"];
    expect([...states].sort((a, b) => order.indexOf(a) - order.indexOf(b))).toEqual(states); // never backwards
    expect(onlyJob()).toMatchObject({ family: AUDITS, state: "Succeeded", resultPages: 3 });
  });

  it.each([
    ["FAILED", CONVERSATIONS, "FAILED"],
    ["CANCELLED", CONVERSATIONS, "CANCELLED"],
    ["EXPIRED", USERS, "EXPIRED"],
    ["FAILED", AUDITS, "Failed"],
  ] as const)("a job ending %s (%s) throws JobError with its id and the server's message; no results are asked for", async (state, path, seen) => {
    sim.configure({ jobs: { failure: { state, message: "Query timed out in the datalake" } } });
    const gc = simClient(sim, token);
    const error = await failure(gc.jobs.run(path, { body }, fast));
    expect(error).toBeInstanceOf(JobError);
    const job = onlyJob();
    const audit = path === AUDITS; // AuditQueryExecutionStatusResponse has no message field
    expect(error).toMatchObject({ reason: "failed", jobId: job.id, state: seen, serverMessage: audit ? undefined : "Query timed out in the datalake" });
    expect((error as JobError).message).toContain(job.id);
    expect(job.resultPages).toBe(0);
  });

  it("abort during the wait: AbortedError, no poll after the abort, the job DELETEd", async () => {
    sim.configure({ jobs: { processingMs: 60_000 } });
    const gc = simClient(sim, token);
    const controller = new AbortController();
    let statuses = 0;
    const onStatus = () => void (++statuses === 2 && controller.abort());
    const error = await failure(gc.jobs.run(CONVERSATIONS, { body }, { ...fast, signal: controller.signal, onStatus }));
    expect(error).toBeInstanceOf(AbortedError);
    expect((error as AbortedError).operation).toEqual({ method: "GET", path: `${CONVERSATIONS}/{jobId}` });
    const job = onlyJob();
    expect(job.polls).toBe(2);
    expect(job.deletedAt).toBeDefined();
    expect(job.pollTimes.every((t) => t < job.deletedAt!)).toBe(true);
    expect(job.state).toBe("CANCELLED");
    // Several poll intervals later, still no poll.
    await sleep(200);
    expect(onlyJob().polls).toBe(2);
  });

  it("abort ends a 10-minute wait at once: no poll at all, the job DELETEd; an audit query (no DELETE in the spec) is only left", async () => {
    sim.configure({ jobs: { processingMs: 60_000 } });
    const gc = simClient(sim, token);
    // The first wait is 10 minutes: only an abort-aware wait lets this test finish within its timeout.
    const poll = { initialDelayMs: 600_000, maxDelayMs: 600_000 };
    for (const path of [CONVERSATIONS, AUDITS] as const) {
      const controller = new AbortController();
      const error = await failure(gc.jobs.run(path, { body }, { poll, signal: controller.signal, onSubmit: () => setTimeout(() => controller.abort(), 20) }));
      expect(error).toBeInstanceOf(AbortedError);
    }
    await sleep(100);
    const [conversations, audit] = sim.stats().jobs;
    expect(conversations).toMatchObject({ polls: 0, state: "CANCELLED" });
    expect(audit).toMatchObject({ polls: 0, deletedAt: undefined });
    expect(Object.keys(sim.stats().byRoute).filter((k) => k.startsWith("DELETE"))).toEqual([`DELETE ${CONVERSATIONS}/{jobId}`]);
  }, 10_000);

  it("a cancelling DELETE that hangs is given up after cancelTimeoutMs: the abort still ends", async () => {
    sim.configure({ jobs: { processingMs: 60_000 }, faults: [{ kind: "latency", route: `${CONVERSATIONS}/{jobId}`, method: "DELETE", latencyMs: 600_000 }] });
    const gc = simClient(sim, token);
    const controller = new AbortController();
    const options = { ...fast, signal: controller.signal, cancelTimeoutMs: 100, onStatus: () => controller.abort() };
    expect(await failure(gc.jobs.run(CONVERSATIONS, { body }, options))).toBeInstanceOf(AbortedError);
    expect(onlyJob()).toMatchObject({ polls: 1, deletedAt: expect.any(Number) }); // the DELETE arrived; its answer never came
  }, 10_000);

  it("past maxWaitMs: JobError (timeout) with the last state, and the job is cancelled", async () => {
    sim.configure({ jobs: { processingMs: 60_000 } });
    const gc = simClient(sim, token);
    const error = await failure(gc.jobs.run(CONVERSATIONS, { body }, { ...fast, maxWaitMs: 150 }));
    expect(error).toBeInstanceOf(JobError);
    const job = onlyJob();
    expect(error).toMatchObject({ reason: "timeout", jobId: job.id });
    expect(["QUEUED", "PENDING"]).toContain((error as JobError).state);
    expect(job.deletedAt).toBeDefined();
    expect(job.pollTimes.every((t) => t < job.deletedAt!)).toBe(true);
  });

  it("honours Retry-After on status answers: polls at least that far apart", async () => {
    sim.configure({ jobs: { processingMs: 1_500, retryAfterSeconds: 1 } });
    const gc = simClient(sim, token);
    expect(await collect(gc.jobs.run(CONVERSATIONS, { body }, fast))).toHaveLength(30);
    const { pollTimes } = onlyJob();
    // Without Retry-After the 20–40 ms polls would have asked ~40 times.
    expect(pollTimes.length).toBeLessThanOrEqual(3);
    for (let i = 1; i < pollTimes.length; i++) expect(pollTimes[i] - pollTimes[i - 1]).toBeGreaterThanOrEqual(990);
  });

  it("status polls go through the resilience pipeline: a 503 on a poll is retried, the job still finishes", async () => {
    sim.configure({ faults: [{ kind: "status", status: 503, route: `${CONVERSATIONS}/{jobId}`, method: "GET", count: 2 }] });
    const gc = simClient(sim, token, { resilience: { retry: { baseDelayMs: 10 } } });
    expect(await collect(gc.jobs.run(CONVERSATIONS, { body }, fast))).toHaveLength(30);
    expect(sim.stats().byRoute[`GET ${CONVERSATIONS}/{jobId}`]["503"]).toBe(2);
  });

  it("a refused submit throws its GenesysApiError and polls nothing", async () => {
    const gc = simClient(sim, token);
    const error = await failure(gc.jobs.run(CONVERSATIONS, { body: {} as typeof body }, fast));
    expect(error).toBeInstanceOf(GenesysApiError);
    expect(error).toMatchObject({ status: 400, operation: { method: "POST", path: CONVERSATIONS } });
    expect(sim.stats().jobs).toEqual([]);
  });

  it("bad input throws ConfigurationError when called, before any request", () => {
    const gc = simClient(sim, token);
    const untyped = gc.jobs as unknown as { run(path: string, init?: object, options?: object): unknown };
    expect(() => untyped.run("/api/v2/users", {})).toThrow(ConfigurationError);
    expect(() => untyped.run("/api/v2/users", {})).toThrow(/not the submit path of an async job family.*\/api\/v2\/audits\/query/);
    expect(() => gc.jobs.run(CONVERSATIONS, { body }, { poll: { initialDelayMs: 0 } })).toThrow(/poll\.initialDelayMs/);
    expect(() => gc.jobs.run(CONVERSATIONS, { body }, { poll: { factor: 0.5 } })).toThrow(/poll\.factor/);
    expect(() => gc.jobs.run(CONVERSATIONS, { body }, { poll: { initialDelayMs: 5_000, maxDelayMs: 1_000 } })).toThrow(/poll\.maxDelayMs/);
    expect(() => gc.jobs.run(CONVERSATIONS, { body }, { maxWaitMs: -1 })).toThrow(/maxWaitMs/);
    expect(sim.stats().requests).toBe(0);
  });
});

describe("gc.jobs.availability()", () => {
  it("returns the date up to which analytics data is complete, for conversation and user details", async () => {
    const gc = simClient(sim, token);
    const conversations = await gc.jobs.availability();
    const users = await gc.jobs.availability(USERS);
    for (const date of [conversations, users]) {
      expect(date).toBeInstanceOf(Date);
      expect(date.getUTCSeconds()).toBe(0);
    }
    expect(count(`GET ${CONVERSATIONS}/availability`)).toBe(1);
    expect(count(`GET ${USERS}/availability`)).toBe(1);
    const untyped = gc.jobs.availability as (path: string) => Promise<Date>;
    await expect(untyped(AUDITS)).rejects.toThrow(ConfigurationError);
  });
});
