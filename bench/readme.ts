// Renders the README's figure blocks from bench/latest.json: `npm run bench:readme` rewrites them (also run at the
// end of `npm run bench`), `npm run bench:readme -- --check` exits 1 when README.md differs from what the record
// renders. Everything between `<!-- bench:name -->` and `<!-- /bench:name -->` is generated: edit the record's
// producers or bench/readme-blocks.ts, never the README's figures.
import { readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { REPO_ROOT } from "./child.js";
import { BLOCKS } from "./readme-blocks.js";
import { readRecord, type BenchRecord } from "./record.js";

export const README_PATH = join(REPO_ROOT, "README.md");

const MARKER = /<!-- bench:([\w-]+) -->\n([\s\S]*?)<!-- \/bench:([\w-]+) -->/g;

/** The names of the README's blocks, in order; throws on an unclosed or mismatched marker. */
export function blockNames(readme: string): string[] {
  const names = [...readme.matchAll(MARKER)].map((m) => {
    if (m[1] !== m[3]) throw new Error(`README: <!-- bench:${m[1]} --> is closed by <!-- /bench:${m[3]} -->`);
    return m[1]!;
  });
  const opened = readme.match(/<!-- bench:[\w-]+ -->/g)?.length ?? 0;
  if (opened !== names.length)
    throw new Error(`README: ${opened} <!-- bench:… --> markers, ${names.length} closed (each needs its own line and a closing <!-- /bench:name -->)`);
  return names;
}

/** The README with every block rendered from `record`. */
export function renderReadme(readme: string, record: BenchRecord): string {
  blockNames(readme);
  return readme.replace(MARKER, (_all, name: string) => {
    const render = BLOCKS[name];
    if (!render) throw new Error(`README: no renderer for <!-- bench:${name} --> (known: ${Object.keys(BLOCKS).join(", ")})`);
    return `<!-- bench:${name} -->\n${render(record).join("\n")}\n<!-- /bench:${name} -->`;
  });
}

/** Rewrites README.md from the record; true when it changed. */
export function writeReadme(record = readRecord(), path = README_PATH): boolean {
  const before = readFileSync(path, "utf8");
  const after = renderReadme(before, record);
  if (after !== before) writeFileSync(path, after);
  return after !== before;
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  if (process.argv.includes("--check")) {
    const readme = readFileSync(README_PATH, "utf8");
    if (renderReadme(readme, readRecord()) !== readme) {
      console.error("README.md's bench blocks differ from bench/latest.json: run `npm run bench:readme`");
      process.exitCode = 1;
    }
  } else {
    console.log(writeReadme() ? "README.md: figures rewritten from bench/latest.json" : "README.md: figures already match bench/latest.json");
  }
}
