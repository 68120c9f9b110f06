// npm run spec:fetch [-- --mirror <dir>] [--region <name>] [--offline]
// Puts the pinned spec (spec/spec.lock.json) into spec/, from the mirror first, then the live URL; verifies sha256.
import { existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { parseArgs } from "node:util";
import { findInMirror, liveSpecUrl, loadSpec, readJson, sha256Of, SpecSourceError } from "../src/codegen/spec-source.js";
import type { SpecLock } from "../src/codegen/update.js";

const { values } = parseArgs({
  options: { mirror: { type: "string" }, region: { type: "string" }, offline: { type: "boolean", default: false } },
});
const root = new URL("..", import.meta.url).pathname;
const lock = readJson<SpecLock>(join(root, "spec/spec.lock.json"));
const mirror = values.mirror ?? process.env.GENESYS_SPEC_MIRROR ?? join(root, lock.mirror);
const target = join(root, "spec", lock.fileName);

async function main(): Promise<void> {
  if (existsSync(target) && sha256Of(readFileSync(target)) === lock.sha256) {
    console.log(`spec:fetch ${lock.fileName} already in spec/ (sha256 ok)`);
    return;
  }
  const tried: string[] = [];
  const fromMirror = findInMirror(mirror, lock.fileName);
  const sources = [fromMirror, values.offline ? undefined : values.region ? liveSpecUrl(values.region) : lock.source];
  if (!fromMirror) tried.push(`mirror ${mirror}: no ${lock.fileName}`);
  for (const from of sources) {
    if (!from) continue;
    try {
      const spec = await loadSpec(from);
      if (spec.sha256 !== lock.sha256) {
        tried.push(`${from}: sha256 ${spec.sha256} does not match the lock's ${lock.sha256}`);
        continue;
      }
      mkdirSync(join(root, "spec"), { recursive: true });
      writeFileSync(target, spec.text);
      console.log(`spec:fetch ${lock.fileName} from ${from} (sha256 ok, ${spec.text.length} bytes)`);
      return;
    } catch (error) {
      tried.push(error instanceof SpecSourceError ? error.message : String(error));
    }
  }
  throw new SpecSourceError(
    `spec:fetch could not get ${lock.fileName} (sha256 ${lock.sha256}):\n  - ${tried.join("\n  - ")}\n` +
      `Set GENESYS_SPEC_MIRROR or --mirror to a folder holding it, or run "npm run spec:update" to pin a new spec.`,
  );
}

main().catch((error: Error) => {
  console.error(error.message);
  process.exit(1);
});
