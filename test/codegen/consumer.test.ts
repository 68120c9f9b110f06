// Consumer-side generation end to end: `genesys-cloud-sdk generate` writes paths/operations for a spec the SDK
// was not published with; a consumer file, run with tsx, calls a loopback server through
// createGenesysClient<paths, routes> with client-credentials auth, exactly as with the built-in spec (what tsc says
// about such consumers: test/types/tsc.test.ts).
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
import type { paths, routes } from "./generated/paths.js";
import { operationRows, specInfo } from "./generated/operations.js";

const gc = createGenesysClient<paths, routes>({
  baseUrl: process.argv[2]!,
  auth: { clientId: "consumer-client", clientSecret: "consumer-secret" },
});

const list = await unwrap(gc.GET("/api/v2/widgets", { params: { query: { pageSize: 2, sortOrder: "asc", expand: ["owner", "parts"] } } }));
const firstName: string | undefined = list.entities?.[0]?.name;
const created = await unwrap(gc.POST("/api/v2/widgets", { body: { name: "new", color: "red", parts: [{ kind: "bolt" }] } }));
const one = await gc.GET("/api/v2/widgets/{widgetId}", { params: { path: { widgetId: "w-404" } }, resilience: { retry: false } });
const rows: readonly OperationRow[] = operationRows;
console.log(JSON.stringify({ firstName, created: created.id, status: one.response.status, errorStatus: one.error?.status, rows: rows.length, title: specInfo.title }));

`;

describe("npx genesys-cloud-sdk generate", () => {
  const app = join(tmp, "app");
  const specFile = join(tmp, "widgets.json");

  it("generates paths.d.ts, operation-map.d.ts, operations.ts and paging.ts into --out", async () => {
    writeFileSync(specFile, JSON.stringify(widgetsV1()));
    const { io, out, err } = capture();
    expect(await runCli(["generate", "--spec", specFile, "--out", join(app, "generated")], io), err.join("\n")).toBe(0);
    expect(out[0]).toBe(`genesys-cloud-sdk generate: 9 operations, 4 paths, 5 definitions from ${specFile}`);
    const operations = readFileSync(join(app, "generated/operations.ts"), "utf8");
    expect(operations).toContain('import type { OperationRow } from "genesys-cloud-sdk";');
    expect(operations).toContain("Do not edit: run `npx genesys-cloud-sdk generate`.");
    const types = readFileSync(join(app, "generated/paths.d.ts"), "utf8");
    expect(types).toContain('"/api/v2/widgets/{widgetId}"');
    expect(types).toMatch(/export interface HeadRoutes \{\n {4}"\/api\/v2\/widgets\/\{widgetId\}": operations\["headWidget"\];\n\}/);
    // Compacted: path items list only their methods, responses are written with the shared helpers.
    expect(types).toContain('"/api/v2/widgets": {\n        get: operations["getWidgets"];\n        post: operations["postWidgets"];\n    };');
    expect(types).toContain('200: Json<S["WidgetEntityListing"]>;');
    expect(readFileSync(join(app, "generated/operation-map.d.ts"), "utf8")).toContain('"headWidget": { method: "head"; path: "/api/v2/widgets/{widgetId}" };');
    expect(readFileSync(join(app, "generated/paging.ts"), "utf8")).toContain('pageNumber: ["/api/v2/widgets"');
  }, 60_000);

  // What tsc says about consumers of generated types (valid calls, mistakes): test/types/tsc.test.ts.
  it("calls a loopback server through createGenesysClient<paths>: token, bearer, typed params and body", async () => {
    const server = await startTinyServer((req, res) => {
      if (req.method === "POST" && req.url === "/oauth/token")
        return json(res, 200, { access_token: "consumer-token", token_type: "bearer", expires_in: 3600 });
      if (req.method === "GET" && req.url.startsWith("/api/v2/widgets?"))
        return json(res, 200, { entities: [{ id: "w-1", name: "first" }], pageSize: 2, pageNumber: 1, total: 1 });
      if (req.method === "POST" && req.url === "/api/v2/widgets") return json(res, 200, { id: "w-2", ...JSON.parse(req.body) });
      json(res, 404, { message: "not found", code: "not.found", status: 404 });
    });
    writeFileSync(join(app, "consumer.ts"), CONSUMER);
    writeFileSync(join(app, "package.json"), JSON.stringify({ type: "module", private: true }));
    // Stands in for `npm install genesys-cloud-sdk`: the package name resolves to this repository's source.
    writeFileSync(
      join(app, "tsconfig.json"),
      JSON.stringify({ compilerOptions: { module: "NodeNext", paths: { "genesys-cloud-sdk": [join(root, "src/index.ts")] } } }),
    );
    try {
      const tsx = join(root, "node_modules/tsx/dist/cli.mjs");
      const { stdout } = await run(process.execPath, [tsx, "--tsconfig", join(app, "tsconfig.json"), join(app, "consumer.ts"), server.url], { cwd: app });
      expect(JSON.parse(stdout.trim().split("\n").pop()!)).toEqual({
        firstName: "first",
        created: "w-2",
        status: 404,
        errorStatus: 404,
        rows: 9,
        title: "Widgets Platform API (test fixture)",
      });
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
