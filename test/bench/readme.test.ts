// The README's figures are generated from bench/latest.json (bench/readme.ts): nobody edits them by hand, and the
// record holds what the README needs.
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { BLOCKS } from "../../bench/readme-blocks.js";
import type { BenchResults } from "../../bench/report.js";
import { blockNames, README_PATH, renderReadme } from "../../bench/readme.js";
import { recordFromResults } from "../../bench/record-results.js";
import { readRecord, recordProblems, SECTION_ORDER, updateRecord, type BenchRecord, type RunInfo } from "../../bench/record.js";

const readme = readFileSync(README_PATH, "utf8");
const record = readRecord();

const run = (date: string): RunInfo => ({
  date,
  command: "npm run bench -- --quick",
  mode: "quick",
  repeats: 1,
  node: "v20.20.2",
  cpus: 2,
  cpuModel: "test cpu",
  loadAvg: [1, 2, 3],
});

describe("README figures", () => {
  it("are exactly what bench/latest.json renders (run `npm run bench:readme` after a bench run)", () => {
    const rendered = renderReadme(readme, record);
    // Block by block, so a failure names the block.
    const blocks = (text: string) => Object.fromEntries([...text.matchAll(/<!-- bench:([\w-]+) -->\n([\s\S]*?)<!-- \/bench:\1 -->/g)].map((m) => [m[1], m[2]]));
    expect(blocks(readme)).toEqual(blocks(rendered));
    expect(readme).toBe(rendered);
  });

  it("has every block the renderer knows, each once, and no block renders a missing section", () => {
    const names = blockNames(readme);
    expect([...names].sort()).toEqual(Object.keys(BLOCKS).sort());
    for (const name of names) expect(BLOCKS[name]!(record).join("\n"), name).not.toMatch(/Not measured yet/);
  });

  it("notices a figure edited by hand, and markers that do not pair", () => {
    const name = blockNames(readme)[0]!;
    const at = readme.indexOf(`<!-- bench:${name} -->\n`) + `<!-- bench:${name} -->\n`.length;
    const edited = `${readme.slice(0, at)}1.00× faster than anything\n${readme.slice(at)}`;
    expect(renderReadme(edited, record)).not.toBe(edited);
    expect(renderReadme(edited, record)).toBe(renderReadme(readme, record));
    expect(() => renderReadme("<!-- bench:nope -->\n<!-- /bench:nope -->", record)).toThrow(/no renderer/);
    expect(() => renderReadme("<!-- bench:goodput -->\nx\n", record)).toThrow(/closed/);
    expect(() => renderReadme("<!-- bench:goodput -->\n<!-- /bench:summary -->", record)).toThrow(/closed by/);
  });
});

describe("bench/latest.json", () => {
  it("holds every section the README quotes, each with its run (date, command, machine, load)", () => {
    expect(Object.keys(record).sort()).toEqual([...SECTION_ORDER].sort());
    expect(recordProblems(record)).toEqual([]);
  });

  it("is checked: a section without load average or with a figure that was NaN is reported", () => {
    const broken = JSON.parse(JSON.stringify(record)) as BenchRecord;
    broken.overhead!.run.loadAvg = [];
    broken.overhead!.sdkUs = null as unknown as number;
    expect(recordProblems(broken)).toEqual([expect.stringMatching(/overhead: run.loadAvg/), expect.stringMatching(/overhead\.sdkUs is not a number/)]);
  });

  it("names the run of each block's figures in the README", () => {
    for (const section of SECTION_ORDER) {
      const date = record[section]!.run.date;
      expect(readme, section).toContain(`${date.slice(0, 10)} ${date.slice(11, 16)} UTC`);
    }
  });
});

describe("updateRecord", () => {
  let dir: string | undefined;
  afterEach(() => {
    if (dir) rmSync(dir, { recursive: true, force: true });
    dir = undefined;
  });

  it("replaces the sections of this run and keeps the others with their own run", () => {
    dir = mkdtempSync(join(tmpdir(), "bench-record-"));
    const path = join(dir, "latest.json");
    const old = { run: run("2026-01-01T00:00:00.000Z"), runs: 3, consumers: [], targets: [] };
    writeFileSync(
      path,
      JSON.stringify({ typecheck: old, overhead: { run: run("2026-01-01T00:00:00.000Z"), n: 1, bareUs: 1, sdkUs: 1, ratio: 1, heapGrowthMb: 0, targets: [] } }),
    );
    const fresh = { run: run("2026-02-02T00:00:00.000Z"), n: 5000, bareUs: 300, sdkUs: 330, ratio: 1.1, heapGrowthMb: 0.1, targets: [] };
    const next = updateRecord({ overhead: fresh, size: undefined }, path);
    expect(next).toEqual({ overhead: fresh, typecheck: old });
    expect(JSON.parse(readFileSync(path, "utf8"))).toEqual(next);
    // A renderer shows a section nobody measured as the command to measure it, not as stale text.
    expect(BLOCKS.fleet!({}).join("\n")).toMatch(/Not measured yet: run `npm run bench:fleet`/);
  });
});

describe("recordFromResults", () => {
  const figures = { client: "sdk", idealMs: 4900, succeeded: 10, failed: 0, totalMs: 5000, ratio: 1.02, r429: 1, r429Share: 0.1 };
  const results = (date: string) =>
    ({
      machine: {
        cpus: 2,
        cpuModel: "test cpu ",
        node: "v20.20.2",
        platform: "linux-x64",
        memoryGb: 4,
        loadAvg: [1.234, 2, 3],
        date,
        mode: "quick",
        repeats: 1,
        command: "npm run bench -- --quick --no-genesys",
      },
      sections: { goodput: { date, loadAvg: [4.567, 5, 6] } },
      goodput: [{ title: "A", n: 10, clients: [figures] }],
      targets: [
        { name: "goodput, A: failed calls", target: "0", value: "0", met: true },
        { name: "tsc of the consumer", target: "≤ 1.00×", value: "0.90×", met: true },
      ],
      errors: { overhead: "failed" },
      overhead: { n: 1, clients: [], ratio: 1, heapGrowthMb: 0 },
      durationS: 1,
    }) as unknown as BenchResults;

  it("keeps a goodput scenario the run left out (--no-genesys) with the run it came from, and skips failed sections", () => {
    const before = recordFromResults(results("2026-01-01T00:00:00.000Z"));
    const previous: BenchRecord = {
      goodput: { ...before.goodput!, scenarios: [...before.goodput!.scenarios, { ...before.goodput!.scenarios[0]!, title: "B" }] },
    };
    const out = recordFromResults(results("2026-02-02T00:00:00.000Z"), previous);
    expect(out.goodput!.scenarios.map((s) => [s.title, s.run?.date])).toEqual([
      ["A", undefined],
      ["B", "2026-01-01T00:00:00.000Z"],
    ]);
    expect(out.goodput!.run).toMatchObject({
      date: "2026-02-02T00:00:00.000Z",
      loadAvg: [4.57, 5, 6],
      command: "npm run bench -- --quick --no-genesys",
      cpuModel: "test cpu",
    });
    expect(out.goodput!.scenarios[0]).toMatchObject({ idealS: 4.9, clients: [{ label: "this SDK (defaults)", totalS: 5 }] });
    expect(out.goodput!.targets.map((t) => t.name)).toEqual(["goodput, A: failed calls"]);
    expect(out.overhead).toBeUndefined();
  });
});
