// npm run spec:update -- [--region <name>] [--from <file|url>] [--mirror <dir>] [--fail-on-breaking] [--report <dir>] [--no-generate]
// Pins a new spec in spec/spec.lock.json, regenerates src/generated, and writes the change report (git-ignored).
// Exit codes: 0 done (or unchanged), 1 error, 2 breaking changes found with --fail-on-breaking.
// --spec-dir <dir> / --out <dir> (default spec/ and src/generated/) point it elsewhere, e.g. at a copy in tests.
import { join, relative, resolve } from "node:path";
import { parseArgs } from "node:util";
import { updateSpec } from "../src/codegen/update.js";

const { values } = parseArgs({
  options: {
    region: { type: "string" },
    from: { type: "string" },
    mirror: { type: "string" },
    report: { type: "string" },
    "fail-on-breaking": { type: "boolean", default: false },
    "no-generate": { type: "boolean", default: false },
    "spec-dir": { type: "string" },
    out: { type: "string" },
  },
});
const root = new URL("..", import.meta.url).pathname;
const specDir = values["spec-dir"] ? resolve(values["spec-dir"]) : join(root, "spec");
const outDir = values.out ? resolve(values.out) : join(root, "src/generated");

try {
  const result = await updateSpec({
    specDir,
    root: values["spec-dir"] ? undefined : root,
    from: values.from,
    mirror: values.mirror ? resolve(values.mirror) : undefined,
    region: values.region,
    reportDir: values.report ? resolve(values.report) : undefined,
    generateInto: values["no-generate"] ? false : outDir,
    log: (line) => console.log(line),
  });
  if (result.status === "unchanged") process.exit(0);
  const s = result.diff!.summary;
  console.log(`spec:update pinned ${result.lock.fileName} (was ${result.previous.fileName})`);
  console.log(
    `spec:update ${s.operationsAdded} added, ${s.operationsRemoved} removed, ${s.operationsDeprecated} newly deprecated, ` +
      `${s.operationsChanged} changed; ${s.breakingChanges} breaking changes in ${s.operationsWithBreakingChanges + s.operationsRemoved} operations`,
  );
  console.log(`spec:update report: ${relative(process.cwd(), result.reportFiles!.markdown)} and ${relative(process.cwd(), result.reportFiles!.json)}`);
  if (result.generated) console.log(`spec:update regenerated ${result.generated.counts.operations} operations into ${relative(process.cwd(), outDir) || "."}`);
  if (values["fail-on-breaking"] && result.breaking) {
    console.error(`spec:update: ${s.breakingChanges} breaking changes (--fail-on-breaking)`);
    process.exit(2);
  }
} catch (error) {
  console.error(`spec:update failed: ${(error as Error).message}`);
  process.exit(1);
}
