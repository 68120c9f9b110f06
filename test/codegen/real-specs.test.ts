// The change report between the two real Genesys specs, 2017-09 → 2025-07: headline counts, a few changes
// checked by hand against the raw JSON, and the same report produced by spec:update's function on temp folders.
import { copyFileSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { diffSpecs } from "../../src/codegen/diff.js";
import { renderDiffMarkdown } from "../../src/codegen/diff-markdown.js";
import { HTTP_METHODS, parseGenesysSwagger, sha256Of, type SwaggerDocument } from "../../src/codegen/spec-source.js";
import { formatLock, updateSpec, type SpecLock } from "../../src/codegen/update.js";

const specs = join(import.meta.dirname, "../../../shared/specs");
const OLD = "genesys-platform-api-2017-09.json";
const NEW = "genesys-platform-api-2025-07.json";
const oldText = readFileSync(join(specs, OLD), "utf8");
const newText = readFileSync(join(specs, NEW), "utf8");
const before = parseGenesysSwagger(oldText, OLD);
const after = parseGenesysSwagger(newText, NEW);
const diff = diffSpecs(before, after, { from: sha256Of(oldText), to: sha256Of(newText) });
const tmp = mkdtempSync(join(tmpdir(), "gc-real-diff-"));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

/** Routes with path parameter names blanked, computed here from the raw JSON (not with the diff's own code). */
function routes(doc: SwaggerDocument): Set<string> {
  const out = new Set<string>();
  for (const [path, item] of Object.entries(doc.paths)) {
    for (const m of HTTP_METHODS) if (item[m]) out.add(`${m.toUpperCase()} ${path.replace(/\{\w+\}/g, "{}")}`);
  }
  return out;
}
const raw = (doc: SwaggerDocument, path: string, method: string) => doc.paths[path]?.[method] as Record<string, any> | undefined;

describe("2017-09 → 2025-07 change report", () => {
  it("has the headline numbers", () => {
    expect(diff.summary).toMatchObject({
      operationsAdded: 1888,
      operationsRemoved: 72,
      operationsDeprecated: 42,
      operationsChanged: 643,
      operationsWithBreakingChanges: 336,
      breakingChanges: 2467,
      totalChanges: 5129,
    });
    expect(diff.from).toMatchObject({ operations: 841, paths: 509, definitions: 733 });
    expect(diff.to).toMatchObject({ operations: 2657, paths: 1768, definitions: 3916 });
  });

  it("agrees with a set difference of the routes done independently", () => {
    const [a, b] = [routes(before), routes(after)];
    expect(diff.added).toHaveLength([...b].filter((r) => !a.has(r)).length);
    expect(diff.removed).toHaveLength([...a].filter((r) => !b.has(r)).length);
    // Every operation is accounted for: old = matched + removed, new = matched + added.
    expect(841 - diff.removed.length).toBe(2657 - diff.added.length);
  });

  it("reports changes that are visible in the raw JSON", () => {
    // Removed: the interaction stats alerting API is gone from 2025-07.
    expect(raw(before, "/api/v2/alerting/interactionstats/rules", "get")).toBeDefined();
    expect(raw(after, "/api/v2/alerting/interactionstats/rules", "get")).toBeUndefined();
    expect(diff.removed).toContainEqual({ method: "GET", path: "/api/v2/alerting/interactionstats/rules", operationId: "getAlertingInteractionstatsRules" });
    // Added: external ids of users did not exist in 2017.
    expect(raw(before, "/api/v2/users/{userId}/externalid", "get")).toBeUndefined();
    expect(diff.added).toContainEqual({ method: "GET", path: "/api/v2/users/{userId}/externalid", operationId: "getUserExternalid" });
    // Newly deprecated: the old web chat API.
    expect(raw(before, "/api/v2/conversations/chats", "get")?.deprecated).not.toBe(true);
    expect(raw(after, "/api/v2/conversations/chats", "get")?.deprecated).toBe(true);
    expect(diff.deprecated).toContainEqual(expect.objectContaining({ method: "GET", path: "/api/v2/conversations/chats" }));
    // Breaking request change: the conversation details query needs an interval now.
    expect(before.definitions?.ConversationQuery).not.toHaveProperty("required");
    expect((after.definitions!.ConversationQuery as { required: string[] }).required).toContain("interval");
    const query = diff.changed.find((o) => o.operation.method === "POST" && o.operation.path === "/api/v2/analytics/conversations/details/query")!;
    expect(query.changes).toContainEqual(expect.objectContaining({ kind: "request.fieldRequired", location: "body.interval", breaking: true }));
    // Path parameter renamed: the typed path literal changes, so it is breaking; the operationId rename is not
    // (2017's method name getUserRoles is 2025's operationId).
    const roles = diff.changed.find((o) => o.operation.method === "GET" && o.operation.path === "/api/v2/users/{subjectId}/roles")!;
    expect(roles.previous).toMatchObject({ path: "/api/v2/users/{userId}/roles", operationId: "getUsersUserIdRoles" });
    expect(roles.changes.map((c) => [c.kind, c.breaking])).toEqual([
      ["operation.pathRenamed", true],
      ["operation.renamed", false],
    ]);
  });

  it("renders markdown that leads with the same numbers", () => {
    const md = renderDiffMarkdown(diff);
    expect(md).toContain("| operations added | 1888 |");
    expect(md).toContain("| operations removed (breaking) | 72 |");
    expect(md).toContain("| **breaking changes** | **2467** |");
  });

  it("spec:update's function pins 2025-07 over a 2017-09 lock and writes the same report (temp folders)", async () => {
    const specDir = join(tmp, "spec");
    mkdirSync(specDir);
    copyFileSync(join(specs, OLD), join(specDir, OLD));
    const lock: SpecLock = {
      fileName: OLD,
      sha256: sha256Of(oldText),
      source: "https://api.mypurecloud.com/api/v2/docs/swagger",
      mirror: "../shared/specs",
      swagger: "2.0",
      title: "PureCloud Platform API",
      version: "v2",
      counts: { paths: 509, operations: 841, definitions: 733 },
    };
    writeFileSync(join(specDir, "spec.lock.json"), formatLock(lock));
    const result = await updateSpec({ specDir, from: join(specs, NEW), generateInto: false });
    expect(result.status).toBe("updated");
    expect(result.breaking).toBe(true);
    const pinned = JSON.parse(readFileSync(join(specDir, "spec.lock.json"), "utf8")) as SpecLock;
    expect(pinned).toMatchObject({ fileName: NEW, sha256: sha256Of(newText), counts: { paths: 1768, operations: 2657, definitions: 3916 } });
    expect(readFileSync(join(specDir, NEW)).equals(readFileSync(join(specs, NEW)))).toBe(true);
    const json = JSON.parse(readFileSync(result.reportFiles!.json, "utf8"));
    expect(json.summary).toEqual(diff.summary);
    expect(readFileSync(result.reportFiles!.markdown, "utf8")).toBe(renderDiffMarkdown(diff));
  }, 60_000);
});
