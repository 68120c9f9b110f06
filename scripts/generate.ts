// npm run generate [-- --spec <file>] [--out <dir>]: types + operation table into src/generated/.
import { readFileSync } from "node:fs";
import { join, relative } from "node:path";
import { parseArgs } from "node:util";
import { generate } from "../src/codegen/generate.js";
import { readJson } from "../src/codegen/spec-source.js";

const root = new URL("..", import.meta.url).pathname;
const { values } = parseArgs({ options: { spec: { type: "string" }, out: { type: "string" } } });
const lock = readJson<{ fileName: string; sha256: string }>(join(root, "spec/spec.lock.json"));
const specFile = values.spec ?? join(root, "spec", lock.fileName);
const outDir = values.out ?? join(root, "src/generated");

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
