// The spec pipeline: counts, round trip of the operation table, determinism.
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { generate, GENERATED_FILES } from "../../src/codegen/generate.js";
import { countSpec, parseGenesysSwagger } from "../../src/codegen/spec-source.js";
import { findOperation, findOperationByRoute, listOperations, specInfo } from "../../src/operations/index.js";

const specs = join(import.meta.dirname, "../../../shared/specs");
const root = join(import.meta.dirname, "../..");
const lock = JSON.parse(readFileSync(join(root, "spec/spec.lock.json"), "utf8"));
const pinned = readFileSync(join(root, "spec", lock.fileName), "utf8");
const tmp = mkdtempSync(join(tmpdir(), "gc-gen-"));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

describe("generated operation table (2025-07)", () => {
  it("matches the lock's counts (2,657 operations / 1,768 paths for the 2025-07 pin)", () => {
    // A spec-update pull request changes the lock; the table must follow it. The 2025-07 figures are checked while pinned.
    const PIN_2025_07 = "4dc78a925ea4f16d06283670c1885cbc2003a159599a6869527af97744666a5a";
    const expected = lock.sha256 === PIN_2025_07 ? { paths: 1768, operations: 2657, definitions: 3916 } : lock.counts;
    expect(lock.counts).toEqual(expected);
    expect(specInfo).toMatchObject({ ...expected, sha256: lock.sha256 });
    expect(listOperations()).toHaveLength(expected.operations);
    expect(new Set(listOperations().map((o) => o.path)).size).toBe(expected.paths);
  });

  it("round-trips method + path and names for every operation of the spec", () => {
    const doc = parseGenesysSwagger(pinned, "pinned");
    let checked = 0;
    for (const [path, item] of Object.entries(doc.paths)) {
      for (const [method, op] of Object.entries(item)) {
        if (method === "parameters") continue;
        const o = op as {
          operationId: string;
          "x-purecloud-method-name": string;
          deprecated?: boolean;
          "x-inin-requires-permissions"?: { permissions: string[] };
        };
        const byRoute = findOperationByRoute(method, path);
        expect(byRoute?.operationId, `${method} ${path}`).toBe(o.operationId);
        const byName = findOperation(o["x-purecloud-method-name"]);
        expect(byName?.path).toBe(path);
        expect(byName?.method).toBe(method.toUpperCase());
        expect(byName?.deprecated).toBe(o.deprecated === true);
        expect(byName?.permissions?.permissions ?? []).toEqual(o["x-inin-requires-permissions"]?.permissions ?? []);
        checked++;
      }
    }
    expect(checked).toBe(lock.counts.operations);
  });

  it("knows the official method names and permissions", () => {
    const getUser = findOperation("getUser");
    expect(getUser).toMatchObject({ method: "GET", path: "/api/v2/users/{userId}", tag: "Users" });
    expect(getUser.scopes).toContain("users:readonly");
    expect(findOperation("postFlowsExecutions")?.permissions?.permissions.length).toBeGreaterThan(0);
    expect(findOperation("getUsers")?.paging).toBe("pageNumber");
    expect(findOperation("noSuchOperation")).toBeUndefined();
  });
});

describe("generation", () => {
  it("counts 841 operations / 509 paths in the 2017-09 spec", () => {
    // Its generation (and what tsc says about a consumer of it) is test/types/tsc.test.ts.
    const text = readFileSync(join(specs, "genesys-platform-api-2017-09.json"), "utf8");
    expect(countSpec(parseGenesysSwagger(text, "2017"))).toMatchObject({ operations: 841, paths: 509 });
  });

  it("regenerates the pinned spec byte-identically to src/generated", async () => {
    await generate(pinned, join(tmp, "pinned"));
    for (const name of GENERATED_FILES) {
      const fresh = readFileSync(join(tmp, "pinned", name));
      expect(fresh.equals(readFileSync(join(root, "src/generated", name))), name).toBe(true);
    }
    // ≈ 30 s on an idle 2-core machine; the bound leaves room for a loaded one.
  }, 180_000);

  it("refuses documents that are not Genesys Swagger 2.0", () => {
    expect(() => parseGenesysSwagger("{", "x")).toThrow(/not JSON/);
    expect(() => parseGenesysSwagger('{"openapi":"3.0.0","paths":{}}', "x")).toThrow(/not a Swagger 2.0/);
    expect(() => parseGenesysSwagger('{"swagger":"2.0","paths":{"/pets":{}}}', "x")).toThrow(/no \/api\/v2\/ paths/);
  });
});
