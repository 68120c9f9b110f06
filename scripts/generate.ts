// npm run generate [-- --spec <file>] [--out <dir>]: types + operation table into src/generated/.
import { existsSync, readFileSync } from "node:fs";
import { join, relative } from "node:path";
import { parseArgs } from "node:util";
import { generate, GENERATED_FILES, GENERATOR_VERSION } from "../src/codegen/generate.js";
import { readJson } from "../src/codegen/spec-source.js";

const root = new URL("..", import.meta.url).pathname;
const { values } = parseArgs({ options: { spec: { type: "string" }, out: { type: "string" }, force: { type: "boolean", default: false } } });
const lock = readJson<{ fileName: string; sha256: string }>(join(root, "spec/spec.lock.json"));
const specFile = values.spec ?? join(root, "spec", lock.fileName);
const outDir = values.out ?? join(root, "src/generated");

// Up to date when every output exists and was generated from the locked spec by this generator: skip the ~25 s of work.
const outputs = GENERATED_FILES.map((f) => join(outDir, f));
const stamp = (f: string) => readFileSync(f, "utf8").slice(0, 300);
const upToDate =
  !values.spec &&
  !values.force &&
  outputs.every((f) => existsSync(f) && stamp(f).includes(`(generator ${GENERATOR_VERSION})`) && stamp(f).includes(`sha256 ${lock.sha256}`));
if (upToDate) {
  console.log(`generate: src/generated is up to date with spec sha256 ${lock.sha256.slice(0, 12)}… (use --force to regenerate)`);
  process.exit(0);
}

try {
  const text = readFileSync(specFile, "utf8");
  const result = await generate(text, outDir, { source: specFile });
  const { counts, ms } = result;
  console.log(
    `generate: ${counts.paths} paths, ${counts.operations} operations, ${counts.definitions} definitions ` +
      `in ${(ms.total / 1000).toFixed(1)} s (convert ${(ms.convert / 1000).toFixed(1)} s, types ${(ms.types / 1000).toFixed(1)} s)`,
  );
  for (const f of result.files) console.log(`  ${relative(root, f.path)}  ${(f.bytes / 1024).toFixed(0)} KiB`);
} catch (error) {
  console.error(`generate failed for ${specFile}: ${(error as Error).message}`);
  if ((error as NodeJS.ErrnoException).code === "ENOENT") console.error('Run "npm run spec:fetch" first.');
  process.exit(1);
}
