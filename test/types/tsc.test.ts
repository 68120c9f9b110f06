// What a user's compiler says, checked with one real `tsc` run over the fixtures in ./fixtures: valid calls compile
// without an error; every mistake fails with an error naming it (the path, the misspelt option), never TS2589/TS2590.
// Against the SDK's own spec, against types regenerated from the 2017-09 spec with `genesys-cloud-sdk generate`
// (which this test runs once, also checking its counts) and against types generated from the small widgets spec.
import { execFile } from "node:child_process";
import { cpSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { promisify } from "node:util";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { runCli } from "../../src/codegen/cli.js";
import { widgetsV1 } from "../codegen/fixtures.js";

const root = join(import.meta.dirname, "../..");
const fixtures = join(import.meta.dirname, "fixtures");
const spec2017 = join(root, "../shared/specs/genesys-platform-api-2017-09.json");
const tmp = mkdtempSync(join(tmpdir(), "gc-tsc-"));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

interface Diagnostic {
  file: string;
  line: number;
  text: string;
}

const generated: string[] = [];
const diagnostics: Diagnostic[] = [];

beforeAll(async () => {
  const io = { log: (l: string) => generated.push(l), error: (l: string) => generated.push(l) };
  const widgets = join(tmp, "widgets.json");
  writeFileSync(widgets, JSON.stringify(widgetsV1()));
  for (const [spec, out] of [
    [spec2017, "gen2017"],
    [widgets, "genwidgets"],
  ] as const) {
    const code = await runCli(["generate", "--spec", spec, "--out", join(tmp, out)], io);
    if (code !== 0) throw new Error(`generate failed: ${generated.join("\n")}`);
  }
  cpSync(fixtures, tmp, { recursive: true });
  cpSync(join(root, "bench/consumers/genesys-cloud-sdk.ts"), join(tmp, "bench-consumer.ts"));
  writeFileSync(join(tmp, "package.json"), JSON.stringify({ type: "module", private: true }));
  const compilerOptions = {
    // As `tsc --init` sets a new project up: strict, nodenext, skipLibCheck.
    target: "ES2022",
    module: "NodeNext",
    moduleResolution: "NodeNext",
    strict: true,
    skipLibCheck: true,
    noEmit: true,
    types: ["node"],
    typeRoots: [join(root, "node_modules/@types")],
    // Stands in for `npm install genesys-cloud-sdk`: the package names resolve to this repository's source.
    paths: {
      "genesys-cloud-sdk": [join(root, "src/index.ts")],
      "genesys-cloud-sdk/operations": [join(root, "src/operations/index.ts")],
      "openapi-fetch": [join(root, "node_modules/openapi-fetch/dist/index.d.mts")],
    },
  };
  const files = [...readdirSync(fixtures).filter((f) => f.endsWith(".ts")), "bench-consumer.ts"];
  writeFileSync(join(tmp, "tsconfig.json"), JSON.stringify({ compilerOptions, files }));
  const tsc = join(root, "node_modules/typescript/bin/tsc");
  const { stdout } = await promisify(execFile)(process.execPath, [tsc, "-p", join(tmp, "tsconfig.json"), "--pretty", "false"], { cwd: tmp }).catch(
    (e: { stdout: string }) => ({ stdout: e.stdout }),
  );
  // `file(line,col): error TS…: message`, continued on indented lines.
  for (const line of stdout.split("\n")) {
    const m = /^(.+?)\((\d+),\d+\): (error TS\d+: .*)$/.exec(line);
    if (m) diagnostics.push({ file: m[1]!.replace(/^.*[\\/]/, ""), line: Number(m[2]), text: m[3]! });
    else if (line.trim() && diagnostics.length) diagnostics[diagnostics.length - 1]!.text += `\n${line.trim()}`;
  }
}, 240_000);

/** The `// error: <text>` markers after code in a fixture, by line number. */
function expectedErrors(file: string): Map<number, string> {
  const marker = /^\s*[^\s/].*\/\/ error: (.*)$/;
  const lines = readFileSync(join(tmp, file), "utf8").split("\n");
  return new Map(lines.flatMap((l, i) => (marker.test(l) ? [[i + 1, marker.exec(l)![1]!.trim()] as [number, string]] : [])));
}

function checkFixture(file: string): void {
  const expected = expectedErrors(file);
  const found = diagnostics.filter((d) => d.file === file);
  for (const d of found) expect(expected.has(d.line), `unexpected error in ${file}:${d.line}: ${d.text}`).toBe(true);
  for (const [line, text] of expected) {
    const here = found.filter((d) => d.line === line);
    expect(here.map((d) => d.text).join("\n"), `${file}:${line}`).toContain(text);
    for (const d of here) expect(d.text, `${file}:${line}`).not.toMatch(/TS2589|TS2590/);
  }
}

describe("tsc on a consumer of the SDK's own spec", () => {
  it("compiles the benchmark's 10-line consumer", () => checkFixture("bench-consumer.ts"));
  it("compiles valid calls: options, parseAs, call(), paginate(), bare openapi-fetch", () => checkFixture("builtin-ok.ts"));
  it("names the mistyped path, the misspelt option and the wrong type", () => {
    expect(expectedErrors("builtin-errors.ts").size).toBe(15);
    checkFixture("builtin-errors.ts");
  });
});

describe("tsc on a consumer of types regenerated from the 2017-09 spec", () => {
  it("generates 841 operations / 509 paths / 733 definitions", () => {
    expect(generated[0]).toBe(`genesys-cloud-sdk generate: 841 operations, 509 paths, 733 definitions from ${spec2017}`);
  });
  it("compiles valid calls with the generated routes and with paths alone", () => checkFixture("spec2017-ok.ts"));
  it("names a path that spec lacks and the misspelt option", () => checkFixture("spec2017-errors.ts"));
});

describe("tsc on a consumer of types generated from the widgets spec", () => {
  it("compiles valid calls, a method with a single path included", () => checkFixture("widgets-ok.ts"));
  it("rejects the SDK's own paths, values outside the spec's enums, missing parameters", () => checkFixture("widgets-errors.ts"));
});
