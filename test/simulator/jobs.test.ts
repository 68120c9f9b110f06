// The simulator's async job endpoints over plain HTTP (no SDK): lifecycle, options, stats, and answers that
// validate against the spec's own definitions (no field the definition lacks, the spec's types and enums).
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { Ajv } from "ajv";
import ajvFormats from "ajv-formats";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { ConfigurationError, startSimulator, type Simulator } from "../../src/simulator/index.js";
import { call, expectGenesysError, post, sleep } from "./helpers.js";

const root = join(import.meta.dirname, "../..");
const lock = JSON.parse(readFileSync(join(root, "spec/spec.lock.json"), "utf8")) as { fileName: string };
const definitions = (JSON.parse(readFileSync(join(root, "spec", lock.fileName), "utf8")) as { definitions: Record<string, object> }).definitions;

// ajv-formats is CommonJS with `exports.default`: under NodeNext the default import may be the module object.
const addFormats = ((ajvFormats as unknown as { default?: typeof ajvFormats }).default ?? ajvFormats) as unknown as (ajv: object) => void;
const ajv = new Ajv({ strict: false, allErrors: true });
addFormats(ajv);
ajv.addFormat("interval", /^[^/]+\/[^/]+$/);
// Genesys's selfUris are relative (`/api/v2/users/…`) though the spec says "uri", on the real API too.
ajv.addFormat("uri", /^(\/|[a-z][a-z0-9+.-]*:)/i);

/** The spec's definitions, closed: an object may carry only the properties its definition lists. */
function closed(node: unknown): unknown {
  if (Array.isArray(node)) return node.map(closed);
  if (!node || typeof node !== "object") return node;
  const out = Object.fromEntries(
    Object.entries(node).map(([k, v]) => [k, k === "properties" ? Object.fromEntries(Object.entries(v as object).map(([p, s]) => [p, closed(s)])) : closed(v)]),
  );
  return "properties" in out ? { additionalProperties: false, ...out } : out;
}
const root$ = { $id: "spec", definitions: Object.fromEntries(Object.entries(definitions).map(([k, v]) => [k, closed(v)])) };
ajv.addSchema(root$);
function expectShape(definition: string, body: unknown): void {
  const validate = ajv.getSchema(`spec#/definitions/${definition}`)!;
  expect(validate(body), `${definition}: ${ajv.errorsText(validate.errors)}`).toBe(true);
}

const CONVERSATIONS = "/api/v2/analytics/conversations/details/jobs";
const USERS = "/api/v2/analytics/users/details/jobs";
const AUDITS = "/api/v2/audits/query";
const interval = "2025-01-06T00:00:00Z/2025-01-07T00:00:00Z";

let sim: Simulator;
let token: string;
beforeAll(async () => {
  sim = await startSimulator({ rateLimit: false, jobs: { processingMs: 80, results: 25, pageSize: 10 } });
  token = sim.issueToken();
});
afterAll(() => sim.close());
beforeEach(() => {
  sim.configure({ jobs: { processingMs: 80, results: 25, pageSize: 10, failure: undefined, retryAfterSeconds: undefined } });
  sim.resetStats();
});

async function finished(status: string, done: string): Promise<Record<string, unknown>> {
  for (let i = 0; i < 100; i++) {
    const answer = await call(sim, status, token);
    if (answer.body.state === done) return answer.body;
    await sleep(20);
  }
  throw new Error("the job did not finish");
}

describe("analytics details jobs", () => {
  it.each([
    [CONVERSATIONS, "conversations", "AnalyticsConversationAsyncQueryResponse"],
    [USERS, "userDetails", "AnalyticsUserDetailsAsyncQueryResponse"],
  ])("%s: 202 { jobId } → QUEUED → … → FULFILLED → cursor-paged %s, shaped as the spec says", async (path, items, pageDefinition) => {
    // A long job stays QUEUED (its first quarter) and has no results yet.
    sim.configure({ jobs: { processingMs: 600_000 } });
    const waiting = await post(sim, path, token, { interval });
    expect(waiting.status).toBe(202);
    expectShape("AsyncQueryResponse", waiting.body);
    const queued = await call(sim, `${path}/${waiting.body.jobId as string}`, token);
    expect(queued.body.state).toBe("QUEUED");
    expectShape("AsyncQueryStatus", queued.body);
    expectGenesysError(await call(sim, `${path}/${waiting.body.jobId as string}/results`, token), 409, "request.conflict");

    sim.configure({ jobs: { processingMs: 80 } });
    const submitted = await post(sim, path, token, { interval });
    const status = `${path}/${submitted.body.jobId as string}`;
    const done = await finished(status, "FULFILLED");
    expectShape("AsyncQueryStatus", done);
    expect(done).toMatchObject({ submissionDate: expect.any(String), completionDate: expect.any(String), expirationDate: expect.any(String) });

    const sizes: number[] = [];
    let cursor: string | undefined;
    do {
      const page = await call(sim, `${status}/results${cursor ? `?cursor=${cursor}` : ""}`, token);
      expect(page.status, page.text).toBe(200);
      expectShape(pageDefinition, page.body);
      sizes.push((page.body[items] as unknown[]).length);
      cursor = page.body.cursor as string | undefined;
    } while (cursor);
    expect(sizes).toEqual([10, 10, 5]);
    const [, job] = sim.stats().jobs;
    expect(job).toMatchObject({ family: path, state: "FULFILLED", resultPages: 3, deletedAt: undefined });
    expect(job.polls).toBe(job.pollTimes.length);
    expect(job.polls).toBeGreaterThanOrEqual(1);
  });

  it("DELETE cancels: 204, then CANCELLED without a server message", async () => {
    sim.configure({ jobs: { processingMs: 60_000 } });
    const { body } = await post(sim, CONVERSATIONS, token, { interval });
    const status = `${CONVERSATIONS}/${body.jobId as string}`;
    expect((await call(sim, status, token, { method: "DELETE" })).status).toBe(204);
    const cancelled = await call(sim, status, token);
    expect(cancelled.body).toMatchObject({ state: "CANCELLED" });
    expect(cancelled.body.errorMessage).toBeUndefined();
    expect(sim.stats().jobs[0]).toMatchObject({ state: "CANCELLED", deletedAt: expect.any(Number), polls: 1 });
  });

  it.each(["FAILED", "CANCELLED", "EXPIRED"] as const)("failure %s: the status ends in it with the configured errorMessage", async (state) => {
    sim.configure({ jobs: { failure: { state, message: "datalake unavailable" } } });
    const { body } = await post(sim, USERS, token, { interval });
    const end = await finished(`${USERS}/${body.jobId as string}`, state);
    expect(end.errorMessage).toBe("datalake unavailable");
    expectShape("AsyncQueryStatus", end);
  });

  it("Retry-After on status answers while running, when configured", async () => {
    sim.configure({ jobs: { processingMs: 600_000, retryAfterSeconds: 2 } });
    const running = await post(sim, CONVERSATIONS, token, { interval });
    expect((await call(sim, `${CONVERSATIONS}/${running.body.jobId as string}`, token)).headers.get("retry-after")).toBe("2");
    sim.configure({ jobs: { processingMs: 0 } });
    const done = await post(sim, CONVERSATIONS, token, { interval });
    const answer = await call(sim, `${CONVERSATIONS}/${done.body.jobId as string}`, token);
    expect(answer.body.state).toBe("FULFILLED");
    expect(answer.headers.get("retry-after")).toBeNull();
  });

  it("availability: { dataAvailabilityDate } for both families", async () => {
    for (const path of [CONVERSATIONS, USERS]) {
      const answer = await call(sim, `${path}/availability`, token);
      expectShape("DataAvailabilityResponse", answer.body);
      expect(Date.parse(answer.body.dataAvailabilityDate as string)).toBeLessThan(Date.now());
    }
  });

  it("refuses a body without an interval, unknown jobs, a foreign cursor", async () => {
    expectGenesysError(await post(sim, CONVERSATIONS, token, { order: "asc" }), 400, "bad.request");
    expectGenesysError(await post(sim, CONVERSATIONS, token, "not json"), 400, "bad.request");
    expectGenesysError(await call(sim, `${CONVERSATIONS}/no-such-job`, token), 404, "not.found");
    const { body } = await post(sim, USERS, token, { interval });
    // A users job is not a conversations job.
    expectGenesysError(await call(sim, `${CONVERSATIONS}/${body.jobId as string}`, token), 404, "not.found");
    const status = `${USERS}/${body.jobId as string}`;
    await finished(status, "FULFILLED");
    expectGenesysError(await call(sim, `${status}/results?cursor=YXNzaXN0YW50czozMA`, token), 400, "bad.request");
  });
});

describe("audit queries", () => {
  it("200 Queued → Running → Succeeded, results { id, pageSize, cursor, entities }, shaped as the spec says; no DELETE", async () => {
    const submitted = await post(sim, AUDITS, token, { interval, serviceName: "Architect" });
    expect(submitted.status).toBe(200);
    expect(submitted.body).toMatchObject({ state: "Queued", interval, serviceName: "Architect" });
    expectShape("AuditQueryExecutionStatusResponse", submitted.body);
    const status = `${AUDITS}/${submitted.body.id as string}`;
    expectShape("AuditQueryExecutionStatusResponse", await finished(status, "Succeeded"));
    const page = await call(sim, `${status}/results?pageSize=20`, token);
    expectShape("AuditQueryExecutionResultsResponse", page.body);
    expect(page.body).toMatchObject({ id: submitted.body.id, pageSize: 20, cursor: expect.any(String) });
    expect((await call(sim, status, token, { method: "DELETE" })).status).toBe(404);
    // A transaction the simulator never ran is still served as a ready listing (the cursor-paging fixture).
    expect((await call(sim, `${AUDITS}/tx-unknown/results`, token)).status).toBe(200);
  });

  it("a configured EXPIRED ends an audit query Failed (its enum has no Expired)", async () => {
    sim.configure({ jobs: { failure: { state: "EXPIRED" } } });
    const { body } = await post(sim, AUDITS, token, { interval });
    await finished(`${AUDITS}/${body.id as string}`, "Failed");
    expect(sim.stats().jobs[0].state).toBe("Failed");
  });
});

describe("jobs options", () => {
  it("bad values throw ConfigurationError naming the field; a job keeps the options it was submitted under", async () => {
    expect(() => sim.configure({ jobs: { processingMs: -1 } })).toThrow(/jobs\.processingMs/);
    expect(() => sim.configure({ jobs: { pageSize: 0 } })).toThrow(/jobs\.pageSize/);
    expect(() => sim.configure({ jobs: { failure: { state: "BROKEN" as "FAILED" } } })).toThrow(/jobs\.failure\.state/);
    expect(() => sim.configure({ jobs: { speed: 1 } as object })).toThrow(ConfigurationError);
    sim.configure({ jobs: { processingMs: 0, results: 3 } });
    const { body } = await post(sim, CONVERSATIONS, token, { interval });
    sim.configure({ jobs: { results: 50 } });
    const page = await call(sim, `${CONVERSATIONS}/${body.jobId as string}/results`, token);
    expect((page.body.conversations as unknown[]).length).toBe(3);
  });

  it("resetStats() forgets the jobs", async () => {
    await post(sim, CONVERSATIONS, token, { interval });
    expect(sim.stats().jobs).toHaveLength(1);
    sim.resetStats();
    expect(sim.stats().jobs).toEqual([]);
  });
});
