// Which async job families the generator finds: on the pinned spec (the six that fit, and why the rest do not),
// on small hand-written specs (each misfit reason), and the generated table and survey script.
import { execFileSync } from "node:child_process";
import { mkdtempSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { renderJobTable, surveyJobFamilies } from "../../src/codegen/job-families.js";
import { parseGenesysSwagger, type SwaggerDocument } from "../../src/codegen/spec-source.js";
import { jobFamilies } from "../../src/generated/jobs.js";

const root = join(import.meta.dirname, "../..");
const lock = JSON.parse(readFileSync(join(root, "spec/spec.lock.json"), "utf8")) as { fileName: string };
const pinned = parseGenesysSwagger(readFileSync(join(root, "spec", lock.fileName), "utf8"), lock.fileName);

type Json = Record<string, any>;
const ok = (ref: string) => ({ responses: { "200": { schema: { $ref: `#/definitions/${ref}` } } } });
const query = (...names: string[]) => names.map((name) => ({ name, in: "query", type: "string" }));

/** One family `/api/v2/things/jobs`, changed by `patch` (paths and definitions merged over the fitting one). */
function spec(patch: { paths?: Json; definitions?: Json } = {}): SwaggerDocument {
  return {
    swagger: "2.0",
    paths: {
      "/api/v2/things/jobs": { post: ok("Submitted") },
      "/api/v2/things/jobs/{jobId}": { get: ok("Status"), delete: { responses: { "204": {} } } },
      "/api/v2/things/jobs/{jobId}/results": { get: { parameters: query("cursor", "pageSize"), ...ok("Page") } },
      ...patch.paths,
    },
    definitions: {
      Submitted: { properties: { jobId: { type: "string" } } },
      Status: { properties: { state: { type: "string", enum: ["Queued", "InProgress", "Completed", "Failed"] }, errorMessage: { type: "string" } } },
      Page: { properties: { things: { type: "array", items: { $ref: "#/definitions/Thing" } }, cursor: { type: "string" } } },
      Thing: { properties: { id: { type: "string" } } },
      ...patch.definitions,
    },
  };
}

describe("job families", () => {
  it("finds the six families of the pinned spec that fit, with their fields; the generated table is them", () => {
    const fits = surveyJobFamilies(pinned).filter((c) => c.row);
    expect(Object.fromEntries(fits.map((c) => [c.submit, c.row]))).toEqual(jobFamilies);
    expect(jobFamilies["/api/v2/analytics/conversations/details/jobs"]).toEqual({
      id: "jobId",
      param: "jobId",
      state: "state",
      done: ["FULFILLED"],
      failed: ["FAILED", "CANCELLED", "EXPIRED"],
      items: "conversations",
      cancel: 1,
      availability: 1,
    });
    expect(jobFamilies["/api/v2/audits/query"]).toMatchObject({ id: "id", param: "transactionId", done: ["Succeeded"], items: "entities", cancel: 0 });
    expect(Object.keys(jobFamilies)).toEqual([
      "/api/v2/analytics/conversations/details/jobs",
      "/api/v2/analytics/users/details/jobs",
      "/api/v2/audits/query",
      "/api/v2/quality/conversations/audits/query",
      "/api/v2/socialmedia/analytics/aggregates/jobs",
      "/api/v2/socialmedia/analytics/messages/jobs",
    ]);
  });

  it("a hand-written family fits; each broken part gives its reason", () => {
    expect(surveyJobFamilies(spec())[0]).toMatchObject({
      misfit: undefined,
      row: { id: "jobId", param: "jobId", done: ["Completed"], failed: ["Failed"], items: "things", cancel: 1, availability: 0 },
    });
    const misfit = (patch: Parameters<typeof spec>[0]) => surveyJobFamilies(spec(patch))[0]?.misfit;
    expect(misfit({ paths: { "/api/v2/things/jobs/{jobId}/results": {} } })).toBe("no results endpoint");
    expect(misfit({ paths: { "/api/v2/things/jobs/{jobId}/results": { get: { parameters: query("pageNumber"), ...ok("Page") } } } })).toBe(
      "results not cursor-paged",
    );
    expect(misfit({ definitions: { Page: { properties: { a: { type: "array" }, b: { type: "array" }, cursor: { type: "string" } } } } })).toBe(
      "results without one items list",
    );
    expect(misfit({ definitions: { Submitted: { properties: { selfUri: { type: "string" } } } } })).toBe("submit answer has no id");
    expect(misfit({ definitions: { Status: { properties: { state: { type: "string", enum: ["Queued", "Wobbling", "Completed"] } } } } })).toBe(
      "state not classified",
    );
    expect(misfit({ definitions: { Status: { properties: { name: { type: "string" } } } } })).toBe("no state in status answer");
    // A resource with a lifecycle is not a job: users/{userId} has state active/inactive/deleted.
    const users = { "/api/v2/users": { post: ok("User") }, "/api/v2/users/{userId}": { get: ok("User") } };
    const user = { User: { properties: { id: { type: "string" }, state: { type: "string", enum: ["active", "inactive", "deleted"] } } } };
    expect(surveyJobFamilies(spec({ paths: users, definitions: user })).map((c) => c.submit)).toEqual(["/api/v2/things/jobs"]);
  });

  it("renders the table as a const module keyed by submit path", () => {
    const table = renderJobTable(spec(), "// header\n");
    expect(table).toContain('export const jobFamilies = {\n  "/api/v2/things/jobs": {"id":"jobId","param":"jobId"');
    expect(table.endsWith("} as const;\n")).toBe(true);
  });

  it("npm run jobs:survey writes the list and prints the counts", () => {
    const out = join(mkdtempSync(join(tmpdir(), "jobs-survey-")), "survey.md");
    const printed = execFileSync(process.execPath, ["--import", "tsx", join(root, "scripts/jobs-survey.ts"), "--survey", "--out", out], { encoding: "utf8" });
    expect(printed).toMatch(/^jobs survey: 6 of \d+ job families fit gc\.jobs\.run\(\)/);
    const md = readFileSync(out, "utf8");
    expect(md).toContain(
      "| `/api/v2/analytics/conversations/details/jobs` | `jobId` → `{jobId}` | FULFILLED | FAILED, CANCELLED, EXPIRED | `conversations` | yes | yes |",
    );
    expect(md).toContain("### no results endpoint");
  }, 60_000);
});
