// The change report on a fixture with one known change per kind: every change found, classified, and rendered.
import { describe, expect, it } from "vitest";
import { renderDiffMarkdown } from "../../src/codegen/diff-markdown.js";
import { diffSpecs, permissionsNarrowed, type Change, type SpecDiff } from "../../src/codegen/diff.js";
import type { SwaggerDocument } from "../../src/codegen/spec-source.js";
import { widgetsV1, widgetsV2 } from "./fixtures.js";

const v1 = widgetsV1() as SwaggerDocument;
const v2 = widgetsV2() as SwaggerDocument;
const diff = diffSpecs(v1, v2, { from: "a".repeat(64), to: "b".repeat(64) });
const changesOf = (d: SpecDiff, method: string, path: string): Change[] =>
  d.changed.find((o) => o.operation.method === method && o.operation.path === path)?.changes ?? [];
const brief = (cs: Change[]) => cs.map((c) => `${c.breaking ? "B" : "-"} ${c.kind} ${c.location ?? ""}`.trim());

describe("diffSpecs (fixture v1 → v2)", () => {
  it("finds added, removed and newly deprecated operations", () => {
    expect(diff.added).toEqual([{ method: "GET", path: "/api/v2/widgets/{widgetId}/history", operationId: "getWidgetHistory" }]);
    expect(diff.removed).toEqual([{ method: "DELETE", path: "/api/v2/gadgets/{gadgetId}", operationId: "deleteGadget" }]);
    expect(diff.deprecated).toEqual([{ method: "PUT", path: "/api/v2/widgets/{widgetId}", operationId: "putWidget" }]);
  });

  it("classifies parameter changes: required additions, removals, types and enums break; optional additions don't", () => {
    expect(brief(changesOf(diff, "GET", "/api/v2/widgets"))).toEqual([
      "B parameter.removed query.pageNumber",
      "B parameter.typeChanged query.pageSize",
      "B parameter.enumValueRemoved query.sortOrder",
      "B parameter.added query.divisionId",
      "- parameter.added query.q",
      "B response.fieldRemoved response.entities[].color",
      "B response.fieldRemoved response.entities[].selfUri",
      "B response.typeChanged response.entities[].size",
      "B response.fieldRemoved response.entities[].owner.email",
      "B response.enumValueRemoved response.entities[].parts[].kind",
      "- permissions.changed permissions",
    ]);
  });

  it("follows $refs through renamed and recursive definitions, per operation and direction", () => {
    // Request side: read-only fields (id, selfUri) neither count as removed nor as newly required.
    expect(brief(changesOf(diff, "POST", "/api/v2/widgets"))).toEqual([
      "B request.fieldRemoved body.color",
      "B request.fieldRequired body.size",
      "B request.typeChanged body.size",
      "B request.fieldRemoved body.owner.email", // User → UserReference: followed by position, not by name
      "B request.enumValueRemoved body.parts[].kind", // Part.parent → Part: visited once
      "B response.fieldRemoved response.color",
      "B response.fieldRemoved response.selfUri",
      "B response.typeChanged response.size",
      "B response.fieldRemoved response.owner.email",
      "B response.enumValueRemoved response.parts[].kind",
      "B permissions.changed permissions",
    ]);
    const enumChange = changesOf(diff, "POST", "/api/v2/widgets").find((c) => c.kind === "request.enumValueRemoved");
    expect(enumChange).toMatchObject({ before: ["nut"], detail: "enum value(s) removed: nut" });
  });

  it("matches renamed path parameters and operationIds as the same operation", () => {
    const part = diff.changed.find((o) => o.operation.path === "/api/v2/widgets/{widgetId}/parts/{id}")!;
    expect(part.previous?.path).toBe("/api/v2/widgets/{widgetId}/parts/{partId}");
    expect(brief(part.changes)).toEqual(["B operation.pathRenamed", "B response.enumValueRemoved response.kind"]);
    const get = diff.changed.find((o) => o.operation.operationId === "getWidgetById")!;
    expect(get.previous?.operationId).toBe("getWidget");
    expect(get.changes[0]).toMatchObject({ kind: "operation.renamed", breaking: true });
    // Unchanged operations are not listed.
    expect(changesOf(diff, "DELETE", "/api/v2/widgets/{widgetId}")).toEqual([]);
    expect(changesOf(diff, "HEAD", "/api/v2/widgets/{widgetId}")).toEqual([]);
  });

  it("sums it up (counted by hand from the fixture's changes)", () => {
    expect(diff.summary).toMatchObject({
      operationsAdded: 1,
      operationsRemoved: 1,
      operationsDeprecated: 1,
      operationsChanged: 6,
      operationsWithBreakingChanges: 6,
      breakingChanges: 49,
      totalChanges: 53,
    });
    expect(diff.summary.byKind["parameter.added"]).toEqual({ total: 2, breaking: 1 });
    expect(diff.summary.byKind["permissions.changed"]).toEqual({ total: 2, breaking: 1 });
    expect(diff.from).toMatchObject({ operations: 9, paths: 4, definitions: 5, sha256: "a".repeat(64) });
  });

  it("finds nothing between a spec and itself, and is deterministic", () => {
    const same = diffSpecs(v1, widgetsV1() as SwaggerDocument);
    expect(same.summary.totalChanges).toBe(0);
    expect(same.changed).toEqual([]);
    expect(JSON.stringify(diffSpecs(v1, v2))).toBe(JSON.stringify(diffSpecs(widgetsV1() as SwaggerDocument, widgetsV2() as SwaggerDocument)));
  });
});

describe("permissionsNarrowed: does some caller that satisfied the old requirement fail the new one?", () => {
  const any = (...p: string[]) => ({ type: "ANY", permissions: p });
  const all = (...p: string[]) => ({ type: "ALL", permissions: p });
  it.each([
    ["ANY a,b → ANY a", any("a", "b"), any("a"), true],
    ["ANY a → ANY a,b", any("a"), any("a", "b"), false],
    ["ALL a → ALL a,b", all("a"), all("a", "b"), true],
    ["ALL a,b → ALL a", all("a", "b"), all("a"), false],
    ["ALL a,b → ANY b,c", all("a", "b"), any("b", "c"), false],
    ["ALL a,b → ANY c", all("a", "b"), any("c"), true],
    ["ANY a → ALL a", any("a"), all("a"), false],
    ["ANY a,b → ALL a", any("a", "b"), all("a"), true],
    ["none → ANY a", any(), any("a"), true],
    ["ANY a → none", any("a"), any(), false],
  ])("%s", (_label, before, after, narrowed) => {
    expect(permissionsNarrowed(before, after)).toBe(narrowed);
  });
});

describe("renderDiffMarkdown", () => {
  it("puts the headline numbers first and lists each section", () => {
    const md = renderDiffMarkdown(diff);
    expect(md).toMatch(/\| operations added \| 1 \|/);
    expect(md).toMatch(/\| \*\*breaking changes\*\* \| \*\*49\*\* \|/);
    expect(md).toContain("## Removed operations (1, breaking)\n\n- `DELETE /api/v2/gadgets/{gadgetId}` (deleteGadget)");
    expect(md).toContain("— was `GET /api/v2/widgets/{widgetId}/parts/{partId}` (getWidgetPart)");
    expect(md).toContain("  - request.fieldRequired `body.size`: field is required now");
    expect(md).toContain("## Other changes (not breaking)\n\n- `GET /api/v2/widgets` (getWidgets)\n  - parameter.added `query.q`");
    expect(md).toContain("## Added operations (1)\n\n- `GET /api/v2/widgets/{widgetId}/history` (getWidgetHistory)");
  });

  it("says how many it left out instead of dropping them silently", () => {
    const md = renderDiffMarkdown(diff, { maxChangesPerOperation: 2, maxOperationsPerSection: 3 });
    expect(md).toContain("  - … 9 more in the JSON report"); // POST /api/v2/widgets: 11 breaking changes, 2 shown
    expect(md).toContain("- … 3 more in the JSON report"); // 6 operations with breaking changes, 3 shown
  });
});
