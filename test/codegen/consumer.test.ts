// Consumer-side generation end to end: `genesys-cloud-sdk generate` writes paths/operations for a spec the SDK
// was not published with; a consumer file type-checks against them with tsc (expected errors are errors, valid
// calls compile) and, run with tsx, calls a loopback server through createGenesysClient<paths> with
// client-credentials auth, exactly as with the built-in spec.
import { execFile } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { promisify } from "node:util";
import { afterAll, describe, expect, it } from "vitest";
import { runCli } from "../../src/codegen/cli.js";
import { loadGenerators, MissingGeneratorError } from "../../src/codegen/generate.js";
import { json, startTinyServer } from "../support/tiny-server.js";
import { widgetsV1 } from "./fixtures.js";

const root = join(import.meta.dirname, "../..");
const tmp = mkdtempSync(join(tmpdir(), "gc-consumer-"));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));
const run = promisify(execFile);

function capture() {
  const out: string[] = [];
  const err: string[] = [];
  return { io: { log: (l: string) => out.push(l), error: (l: string) => err.push(l) }, out, err };
}

// What an app would write: its own generated `paths`, the SDK from its package name.
const CONSUMER = `import { createGenesysClient, unwrap, type OperationRow } from "genesys-cloud-sdk";
import type { paths } from "./generated/paths.js";
import { operationRows, specInfo } from "./generated/operations.js";

const gc = createGenesysClient<paths>({
  baseUrl: process.argv[2]!,
  auth: { clientId: "consumer-client", clientSecret: "consumer-secret" },
});

const list = await unwrap(gc.GET("/api/v2/widgets", { params: { query: { pageSize: 2, sortOrder: "asc", expand: ["owner", "parts"] } } }));
const firstName: string | undefined = list.entities?.[0]?.name;
const created = await unwrap(gc.POST("/api/v2/widgets", { body: { name: "new", color: "red", parts: [{ kind: "bolt" }] } }));
const one = await gc.GET("/api/v2/widgets/{widgetId}", { params: { path: { widgetId: "w-404" } }, resilience: { retry: false } });
const rows: readonly OperationRow[] = operationRows;
console.log(JSON.stringify({ firstName, created: created.id, status: one.response.status, errorStatus: one.error?.status, rows: rows.length, title: specInfo.title }));

export function typeErrorsOnly(): void {
  // @ts-expect-error: the SDK's built-in paths are not this client's paths
  void gc.GET("/api/v2/users/{userId}", { params: { path: { userId: "u" } } });
  // @ts-expect-error: "purple" is not a color of this spec
  void gc.POST("/api/v2/widgets", { body: { name: "w", color: "purple" } });
  // @ts-expect-error: the widgetId path parameter is required
  void gc.GET("/api/v2/widgets/{widgetId}", { params: { path: {} } });
  // @ts-expect-error: sortOrder is an enum
  void gc.GET("/api/v2/widgets", { params: { query: { sortOrder: "sideways" } } });
}
`;
// A valid call marked as an error: tsc must report the unused directive, proving the check can fail.
const MUST_FAIL = `import { createGenesysClient } from "genesys-cloud-sdk";
import type { paths } from "./generated/paths.js";
const gc = createGenesysClient<paths>({ baseUrl: "http://127.0.0.1:1" });
export function valid(): void {
  // @ts-expect-error
  void gc.GET("/api/v2/widgets/{widgetId}", { params: { path: { widgetId: "w" } } });
}
`;

describe("npx genesys-cloud-sdk generate", () => {
  const app = join(tmp, "app");
  const specFile = join(tmp, "widgets.json");

  it("generates paths.ts, operations.ts and operation-map.ts into --out", async () => {
    writeFileSync(specFile, JSON.stringify(widgetsV1()));
    const { io, out, err } = capture();
    expect(await runCli(["generate", "--spec", specFile, "--out", join(app, "generated")], io), err.join("\n")).toBe(0);
    expect(out[0]).toBe(`genesys-cloud-sdk generate: 9 operations, 4 paths, 5 definitions from ${specFile}`);
    const operations = readFileSync(join(app, "generated/operations.ts"), "utf8");
    expect(operations).toContain('import type { OperationRow } from "genesys-cloud-sdk";');
    expect(operations).toContain("Do not edit: run `npx genesys-cloud-sdk generate`.");
    expect(readFileSync(join(app, "generated/paths.ts"), "utf8")).toContain('"/api/v2/widgets/{widgetId}"');
    expect(readFileSync(join(app, "generated/operation-map.ts"), "utf8")).toContain('"headWidget": { method: "head"; path: "/api/v2/widgets/{widgetId}" };');
  }, 60_000);

  it("type-checks a consumer against the generated paths (tsc)", async () => {
    writeFileSync(join(app, "consumer.ts"), CONSUMER);
    writeFileSync(join(app, "must-fail.ts"), MUST_FAIL);
    writeFileSync(join(app, "package.json"), JSON.stringify({ type: "module", private: true }));
    const compilerOptions = {
      target: "ES2022",
      lib: ["ES2023", "DOM"],
      module: "NodeNext",
      moduleResolution: "NodeNext",
      strict: true,
      noEmit: true,
      skipLibCheck: true,
      types: ["node"],
      typeRoots: [join(root, "node_modules/@types")],
      // Stands in for `npm install genesys-cloud-sdk`: the package name resolves to this repository's source.
      paths: { "genesys-cloud-sdk": [join(root, "src/index.ts")] },
    };
    writeFileSync(join(app, "tsconfig.json"), JSON.stringify({ compilerOptions, files: ["consumer.ts", "must-fail.ts"] }));
    const result = await run(process.execPath, [join(root, "node_modules/typescript/bin/tsc"), "-p", join(app, "tsconfig.json")], { cwd: app }).then(
      () => ({ stdout: "" }),
      (e: { stdout: string }) => ({ stdout: e.stdout }),
    );
    const errors = result.stdout.split("\n").filter((l) => l.includes("error TS"));
    expect(errors).toEqual([expect.stringMatching(/^must-fail\.ts\(5,3\): error TS2578: Unused '@ts-expect-error' directive\./)]);
  }, 120_000);

  it("calls a loopback server through createGenesysClient<paths>: token, bearer, typed params and body", async () => {
    const server = await startTinyServer((req, res) => {
      if (req.method === "POST" && req.url === "/oauth/token") return json(res, 200, { access_token: "consumer-token", token_type: "bearer", expires_in: 3600 });
      if (req.method === "GET" && req.url.startsWith("/api/v2/widgets?")) return json(res, 200, { entities: [{ id: "w-1", name: "first" }], pageSize: 2, pageNumber: 1, total: 1 });
      if (req.method === "POST" && req.url === "/api/v2/widgets") return json(res, 200, { id: "w-2", ...JSON.parse(req.body) });
      json(res, 404, { message: "not found", code: "not.found", status: 404 });
    });
    try {
      const tsx = join(root, "node_modules/tsx/dist/cli.mjs");
      const { stdout } = await run(process.execPath, [tsx, "--tsconfig", join(app, "tsconfig.json"), join(app, "consumer.ts"), server.url], { cwd: app });
      expect(JSON.parse(stdout.trim().split("\n").pop()!)).toEqual({ firstName: "first", created: "w-2", status: 404, errorStatus: 404, rows: 9, title: "Widgets Platform API (test fixture)" });
      const [token, list, create, one] = server.requests;
      expect(token).toMatchObject({ method: "POST", url: "/oauth/token" });
      expect(token!.headers.authorization).toBe(`Basic ${Buffer.from("consumer-client:consumer-secret").toString("base64")}`);
      expect(list!.url).toBe("/api/v2/widgets?pageSize=2&sortOrder=asc&expand=owner&expand=parts");
      expect(list!.headers.authorization).toBe("Bearer consumer-token");
      expect(JSON.parse(create!.body)).toEqual({ name: "new", color: "red", parts: [{ kind: "bolt" }] });
      expect(one).toMatchObject({ method: "GET", url: "/api/v2/widgets/w-404" });
      expect(server.requests).toHaveLength(4);
    } finally {
      await server.close();
    }
  }, 60_000);
});

describe("genesys-cloud-sdk CLI errors", () => {
  it("explains usage mistakes (exit 2) and bad specs (exit 1)", async () => {
    let c = capture();
    expect(await runCli([], c.io)).toBe(2);
    expect(c.out.join("\n")).toContain("Usage: genesys-cloud-sdk generate --spec <file|url> --out <dir>");
    c = capture();
    expect(await runCli(["generate", "--out", tmp], c.io)).toBe(2);
    expect(c.err[0]).toMatch(/^generate needs --spec <file\|url>/);
    c = capture();
    expect(await runCli(["regenerate"], c.io)).toBe(2);
    c = capture();
    const notGenesys = join(tmp, "petstore.json");
    writeFileSync(notGenesys, JSON.stringify({ swagger: "2.0", paths: { "/pets": {} } }));
    expect(await runCli(["generate", "--spec", notGenesys, "--out", join(tmp, "x")], c.io)).toBe(1);
    expect(c.err[0]).toMatch(/has no \/api\/v2\/ paths/);
    c = capture();
    expect(await runCli(["generate", "--spec", join(tmp, "nope.json"), "--out", join(tmp, "x")], c.io)).toBe(1);
    expect(c.err[0]).toMatch(/spec file .*nope\.json does not exist/);
  });

  it("tells the user what to install when the generator packages are missing", async () => {
    const missing = async (name: string) => {
      throw Object.assign(new Error(`Cannot find package '${name}'`), { code: "ERR_MODULE_NOT_FOUND" });
    };
    const error = await loadGenerators(missing).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(MissingGeneratorError);
    expect((error as Error).message).toContain("npm install --save-dev swagger2openapi@^7.0.8 openapi-typescript@^7.13.0");
    // Other failures are not disguised as a missing package.
    await expect(loadGenerators(async () => Promise.reject(new SyntaxError("boom")))).rejects.toThrow("boom");
  });
});
