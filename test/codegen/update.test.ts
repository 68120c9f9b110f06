// spec:update on temp folders: pin a new spec from a file, a mirror or a URL; report; regenerate; refuse bad input;
// and the npm script's exit codes (what the scheduled workflow relies on).
import { execFile } from "node:child_process";
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { promisify } from "node:util";
import { afterAll, describe, expect, it } from "vitest";
import { sha256Of, SpecSourceError } from "../../src/codegen/spec-source.js";
import { formatLock, REPORT_NAMES, updateSpec, type SpecLock } from "../../src/codegen/update.js";
import { json, startTinyServer } from "../support/tiny-server.js";
import { widgetsV1, widgetsV2 } from "./fixtures.js";

const root = join(import.meta.dirname, "../..");
const tmp = mkdtempSync(join(tmpdir(), "gc-update-"));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));
const v1Text = JSON.stringify(widgetsV1(), null, 2);
const v2Text = JSON.stringify(widgetsV2(), null, 2);
let n = 0;

/** A fresh project folder whose spec/ pins the v1 fixture. */
function project(): { dir: string; specDir: string; lockText: string } {
  const dir = join(tmp, `p${++n}`);
  const specDir = join(dir, "spec");
  mkdirSync(specDir, { recursive: true });
  writeFileSync(join(specDir, "widgets-v1.json"), v1Text);
  const lock: SpecLock = {
    fileName: "widgets-v1.json",
    sha256: sha256Of(v1Text),
    source: "https://api.example.test/api/v2/docs/swagger",
    mirror: "mirror",
    swagger: "2.0",
    title: "Widgets Platform API (test fixture)",
    version: "v2",
    counts: { paths: 4, operations: 9, definitions: 5 },
  };
  const lockText = formatLock(lock);
  writeFileSync(join(specDir, "spec.lock.json"), lockText);
  return { dir, specDir, lockText };
}
const readLock = (specDir: string) => JSON.parse(readFileSync(join(specDir, "spec.lock.json"), "utf8")) as SpecLock;

describe("updateSpec", () => {
  it("pins a new spec from a file, writes the report, regenerates", async () => {
    const { dir, specDir } = project();
    const from = join(dir, "incoming", "widgets-v2.json");
    mkdirSync(join(dir, "incoming"));
    writeFileSync(from, v2Text);
    const out = join(dir, "generated");
    const lines: string[] = [];
    const result = await updateSpec({ specDir, from, generateInto: out, log: (l) => lines.push(l) });
    expect(result.status).toBe("updated");
    expect(result.breaking).toBe(true);
    expect(result.diff!.summary).toMatchObject({ operationsAdded: 1, operationsRemoved: 1, breakingChanges: 49 });
    expect(readLock(specDir)).toEqual({
      fileName: "widgets-v2.json",
      sha256: sha256Of(v2Text),
      source: "incoming/widgets-v2.json", // relative to the project root (the spec folder's parent)
      mirror: "mirror",
      swagger: "2.0",
      title: "Widgets Platform API (test fixture)",
      version: "v2",
      counts: { paths: 4, operations: 9, definitions: 5 },
    });
    expect(readFileSync(join(specDir, "widgets-v2.json"), "utf8")).toBe(v2Text);
    expect(result.reportFiles).toEqual({ markdown: join(specDir, "reports", REPORT_NAMES.markdown), json: join(specDir, "reports", REPORT_NAMES.json) });
    expect(readFileSync(result.reportFiles!.markdown, "utf8")).toContain("| **breaking changes** | **49** |");
    expect(JSON.parse(readFileSync(result.reportFiles!.json, "utf8")).removed[0].operationId).toBe("deleteGadget");
    const operations = readFileSync(join(out, "operations.ts"), "utf8");
    expect(operations).toContain(`sha256 ${sha256Of(v2Text)}`);
    expect(operations).toContain('"getWidgetHistory"');
    expect(readFileSync(join(out, "paths.d.ts"), "utf8")).toContain('"/api/v2/widgets/{widgetId}/history"');
    expect(lines.join("\n")).toContain("widgets-v2.json");
  }, 60_000);

  it("does nothing when the spec is the pinned one", async () => {
    const { dir, specDir, lockText } = project();
    const result = await updateSpec({ specDir, from: join(specDir, "widgets-v1.json"), generateInto: join(dir, "generated") });
    expect(result).toMatchObject({ status: "unchanged", breaking: false });
    expect(readFileSync(join(specDir, "spec.lock.json"), "utf8")).toBe(lockText);
    expect(existsSync(join(specDir, "reports"))).toBe(false);
    expect(existsSync(join(dir, "generated"))).toBe(false);
  });

  it("takes the newest spec of a mirror folder", async () => {
    const { dir, specDir } = project();
    const mirror = join(dir, "specs-mirror");
    mkdirSync(mirror);
    writeFileSync(join(mirror, "genesys-platform-api-2024-01.json"), v1Text);
    writeFileSync(join(mirror, "genesys-platform-api-2024-06.json"), v2Text);
    writeFileSync(join(mirror, "notes.json"), "{}");
    const result = await updateSpec({ specDir, mirror, generateInto: false, reportDir: join(dir, "out-reports") });
    expect(readLock(specDir)).toMatchObject({
      fileName: "genesys-platform-api-2024-06.json",
      mirror: "specs-mirror",
      source: "specs-mirror/genesys-platform-api-2024-06.json",
    });
    expect(result.reportFiles!.json).toBe(join(dir, "out-reports", REPORT_NAMES.json));
  });

  it("fetches the live URL and names the file by date", async () => {
    const { specDir } = project();
    const server = await startTinyServer((req, res) => (req.url === "/api/v2/docs/swagger" ? json(res, 200, widgetsV2()) : json(res, 404, {})));
    try {
      const from = `${server.url}/api/v2/docs/swagger`;
      await updateSpec({ specDir, from, generateInto: false, now: new Date("2026-01-02T03:04:05Z") });
      expect(readLock(specDir)).toMatchObject({ fileName: "genesys-platform-api-2026-01-02.json", source: from });
      expect(server.requests).toHaveLength(1);
    } finally {
      await server.close();
    }
  });

  it("refuses a document that is not a Genesys Swagger 2.0 spec, and leaves the lock alone", async () => {
    const { dir, specDir, lockText } = project();
    const from = join(dir, "openapi3.json");
    writeFileSync(from, JSON.stringify({ openapi: "3.0.0", info: { title: "x", version: "1" }, paths: {} }));
    await expect(updateSpec({ specDir, from, generateInto: false })).rejects.toThrow(/not a Swagger 2.0 document/);
    writeFileSync(from, JSON.stringify({ swagger: "2.0", paths: { "/pets": {} } }));
    await expect(updateSpec({ specDir, from, generateInto: false })).rejects.toThrow(/no \/api\/v2\/ paths/);
    expect(readFileSync(join(specDir, "spec.lock.json"), "utf8")).toBe(lockText);
  });

  it("needs the pinned spec to compare against, and says how to get it", async () => {
    const { specDir } = project();
    writeFileSync(join(specDir, "widgets-v1.json"), `${v1Text} `); // present but not the pinned bytes
    const error = await updateSpec({ specDir, from: join(specDir, "spec.lock.json"), generateInto: false }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(SpecSourceError);
    expect((error as Error).message).toMatch(/pinned spec widgets-v1\.json .*npm run spec:fetch/);
  });

  it("writes the lock in the committed layout", () => {
    const committed = readFileSync(join(root, "spec/spec.lock.json"), "utf8");
    expect(formatLock(JSON.parse(committed))).toBe(committed);
  });
});

describe("npm run spec:update (the script)", () => {
  const run = (args: string[]) =>
    promisify(execFile)(process.execPath, [join(root, "node_modules/tsx/dist/cli.mjs"), join(root, "scripts/spec-update.ts"), ...args], { cwd: root }).then(
      (r) => ({ code: 0, ...r }),
      (e: { code: number; stdout: string; stderr: string }) => ({ code: e.code, stdout: e.stdout, stderr: e.stderr }),
    );

  it("exits 2 on breaking changes with --fail-on-breaking, then 0 once pinned", async () => {
    const { dir, specDir } = project();
    const from = join(dir, "widgets-v2.json");
    writeFileSync(from, v2Text);
    const args = ["--spec-dir", specDir, "--from", from, "--no-generate", "--report", join(dir, "reports"), "--fail-on-breaking"];
    const first = await run(args);
    expect(first.code, first.stderr).toBe(2);
    expect(first.stdout).toContain("1 added, 1 removed, 1 newly deprecated, 6 changed; 49 breaking changes in 7 operations");
    expect(first.stderr).toContain("49 breaking changes (--fail-on-breaking)");
    expect(existsSync(join(dir, "reports", REPORT_NAMES.markdown))).toBe(true);
    const second = await run(args);
    expect(second.code, second.stderr).toBe(0);
    expect(second.stdout).toContain("unchanged");
    const bad = await run(["--spec-dir", specDir, "--from", join(dir, "missing.json"), "--no-generate"]);
    expect(bad.code).toBe(1);
    expect(bad.stderr).toMatch(/spec:update failed: spec file .*missing\.json does not exist/);
  }, 60_000);
});
