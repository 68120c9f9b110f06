// The API report's difference output (scripts/api-report.ts): what `npm run check:package` prints when the public
// surface changed. The report itself needs a build; check:package compares it.
import { describe, expect, it } from "vitest";
import { lineDiff } from "../../scripts/api-report.js";

describe("api report diff", () => {
  it("shows removed and added lines with two lines of context, and elides the rest", () => {
    const before = ["a", "b", "c", "interface X {", "  one?: number;", "}", "d", "e", "f", "g"].join("\n");
    const after = ["a", "b", "c", "interface X {", "  uno?: number;", "}", "d", "e", "f", "g"].join("\n");
    expect(lineDiff(before, after).split("\n")).toEqual(["  c", "  interface X {", "-   one?: number;", "+   uno?: number;", "  }", "  d"]);
  });

  it("separates distant changes and reports pure additions", () => {
    const lines = Array.from({ length: 12 }, (_, i) => `l${i}`);
    const after = [...lines.slice(0, 1), "new", ...lines.slice(1), "end"];
    expect(lineDiff(lines.join("\n"), after.join("\n")).split("\n")).toEqual(["  l0", "+ new", "  l1", "  l2", "…", "  l10", "  l11", "+ end"]);
  });

  it("is empty for identical text", () => {
    expect(lineDiff("same\ntext", "same\ntext")).toBe("");
  });
});
