// Contract check: the requests the SDK client sends validate against the pinned spec, judged by an independent
// validator (openapi-backend + ajv over the swagger2openapi conversion) behind a loopback server. The sample
// covers every HTTP method, path/query/header/body parameters, multi-valued array queries and enums; deliberately
// malformed requests must be rejected, so the check can fail.
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createGenesysClient, type GenesysClient } from "../../src/client.js";
import { GenesysApiError } from "../../src/errors.js";
import { parseGenesysSwagger } from "../../src/codegen/spec-source.js";
import { findOperation, listOperations, type OperationInfo } from "../../src/operations/index.js";
import { exampleFor, parameterExample, type SwaggerParameter, type SwaggerSchema } from "./contract/examples.js";
import { sampleOperations } from "./contract/sample.js";
import { startValidatingServer, trimSpec } from "./contract/validator.js";

const root = join(import.meta.dirname, "../..");
const lock = JSON.parse(readFileSync(join(root, "spec/spec.lock.json"), "utf8")) as { fileName: string };
const doc = parseGenesysSwagger(readFileSync(join(root, "spec", lock.fileName), "utf8"), lock.fileName);
const defs = (doc.definitions ?? {}) as Record<string, SwaggerSchema>;
const sample = sampleOperations(listOperations(), (name) => findOperation(name));

interface RequestArgs {
  params: { path?: Record<string, unknown>; query?: Record<string, unknown>; header?: Record<string, unknown> };
  body?: unknown;
}

function parametersOf(op: OperationInfo): SwaggerParameter[] {
  const item = doc.paths[op.path] as Record<string, { parameters?: SwaggerParameter[] }> & { parameters?: SwaggerParameter[] };
  return [...(item.parameters ?? []), ...(item[op.method.toLowerCase()]!.parameters ?? [])];
}

/** Every path and query parameter, required headers, and the body, with example values from the spec. */
function requestArgs(op: OperationInfo): RequestArgs {
  const args: RequestArgs = { params: {} };
  for (const p of parametersOf(op)) {
    if (p.in === "body") args.body = exampleFor(p.schema ?? {}, defs);
    else if (p.in === "path" || p.in === "query" || (p.in === "header" && p.required)) {
      (args.params[p.in] ??= {})[p.name] = parameterExample(p, defs);
    }
  }
  return args;
}

type Call = (path: string, init: object) => Promise<{ error?: unknown; response: Response }>;
const send = (gc: GenesysClient, op: OperationInfo, init: object) => (gc[op.method as "GET"] as unknown as Call)(op.path, init);

let server: Awaited<ReturnType<typeof startValidatingServer>>;
let gc: GenesysClient;
beforeAll(async () => {
  server = await startValidatingServer(trimSpec(doc, sample));
  // Resilience off: the request's shape doesn't depend on it, and a 400 is never retried anyway.
  gc = createGenesysClient({ baseUrl: server.url, auth: { accessToken: "contract-test-token" }, resilience: false });
}, 60_000);
afterAll(() => server?.close());

describe("contract check (openapi-backend validates what the SDK sends)", () => {
  it("samples ≥ 50 operations covering every method and parameter kind", () => {
    expect(sample.length).toBeGreaterThanOrEqual(50);
    expect(new Set(sample.map((o) => o.method))).toEqual(new Set(["GET", "POST", "PUT", "PATCH", "DELETE", "HEAD"]));
    const params = sample.flatMap(parametersOf);
    const bodies = sample.map((o) => JSON.stringify(requestArgs(o).body ?? null));
    const coverage = {
      path: params.some((p) => p.in === "path"),
      queryArray: params.some((p) => p.in === "query" && p.type === "array"),
      queryEnum: params.some((p) => p.in === "query" && (p.enum || p.items?.enum)),
      queryInteger: params.some((p) => p.in === "query" && p.type === "integer"),
      queryBoolean: params.some((p) => p.in === "query" && p.type === "boolean"),
      body: params.some((p) => p.in === "body"),
      arrayBody: bodies.some((b) => b.startsWith("[")),
      nestedBody: bodies.some((b) => /:\{/.test(b) && /:\[/.test(b)),
    };
    expect(coverage).toEqual(Object.fromEntries(Object.keys(coverage).map((k) => [k, true])));
  });

  it("every sampled request is valid for its operation", async () => {
    const failures: string[] = [];
    for (const op of sample) {
      const before = server.verdicts.length;
      const { error, response } = await send(gc, op, requestArgs(op));
      const verdict = server.verdicts[before];
      expect(server.verdicts.length, `${op.operationId}: one request per call`).toBe(before + 1);
      if (!verdict?.valid || verdict.operationId !== op.operationId || error || response.status !== 200) {
        failures.push(`${op.operationId} ${op.method} ${verdict?.url}: matched ${verdict?.operationId}; ${verdict?.errors.join("; ")}`);
      }
    }
    expect(failures).toEqual([]);
    // The array queries really went out multi-valued (collectionFormat multi → ?expand=a&expand=b).
    const getUser = server.verdicts.find((v) => v.operationId === "getUser")!;
    expect(getUser.url).toMatch(/expand=[^&]+&expand=/);
    expect(getUser.url).toMatch(/^\/api\/v2\/users\/sample\?/);
  }, 60_000);

  it("rejects malformed requests, so the check can fail", async () => {
    const cases: [string, (args: RequestArgs) => void, RegExp][] = [
      ["getUser", (a) => (a.params.query!.state = "not-a-state"), /\/query\/state must be equal to one of the allowed values/],
      ["getUsers", (a) => (a.params.query!.pageSize = "twenty"), /\/query\/pageSize must be integer/],
      [
        "postAnalyticsConversationsDetailsQuery",
        (a) => delete (a.body as Record<string, unknown>).interval,
        /\/requestBody must have required property 'interval'/,
      ],
      ["getUser", (a) => (a.params.query!.expand = ["presence", "no-such-expand"]), /\/query\/expand\/1 must be equal to one of the allowed values/],
      [
        "postAnalyticsConversationsDetailsQuery",
        (a) => ((a.body as Record<string, unknown>).interval = "yesterday"),
        /\/requestBody\/interval must match format "interval"/,
      ],
    ];
    for (const [name, spoil, expected] of cases) {
      const op = findOperation(name)!;
      const args = requestArgs(op);
      spoil(args);
      const before = server.verdicts.length;
      const { error, response } = await send(gc, op, args);
      const verdict = server.verdicts[before]!;
      expect(verdict.operationId).toBe(op.operationId);
      expect(verdict.valid, `${name} should be rejected`).toBe(false);
      expect(verdict.errors.join("; ")).toMatch(expected);
      expect(response.status).toBe(400);
      expect(error).toBeInstanceOf(GenesysApiError);
    }
  });
});
