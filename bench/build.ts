// Makes sure dist/ is built from the current sources before the benchmarks measure it.
import { execSync } from "node:child_process";
import { existsSync, readdirSync, statSync } from "node:fs";
import { join } from "node:path";
import { REPO_ROOT } from "./child.js";

function newestMtime(dir: string): number {
  let newest = 0;
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    newest = Math.max(newest, entry.isDirectory() ? newestMtime(path) : statSync(path).mtimeMs);
  }
  return newest;
}

/**
 * Builds when dist/index.js is missing or older than anything in src/, tsup.config.ts or scripts/dist-types.mjs
 * (≈ 50 s here, most of it the .d.ts). Returns a warning when the build failed but an older dist/ exists and is measured instead.
 */
export function ensureBuild(log: (line: string) => void): string | undefined {
  const dist = join(REPO_ROOT, "dist", "index.js");
  const sources = Math.max(
    newestMtime(join(REPO_ROOT, "src")),
    ...["tsup.config.ts", "scripts/dist-types.mjs"].map((f) => statSync(join(REPO_ROOT, f)).mtimeMs),
  );
  if (existsSync(dist) && statSync(dist).mtimeMs >= sources) {
    log("dist/ is up to date");
    return undefined;
  }
  // The full `npm run build` also fetches the spec and regenerates; only needed when the generated code is missing.
  const command = existsSync(join(REPO_ROOT, "src", "generated", "paths.d.ts")) ? "npm run build --ignore-scripts" : "npm run build";
  log(`dist/ is ${existsSync(dist) ? "stale" : "missing"}: running \`${command}\``);
  try {
    execSync(command, { cwd: REPO_ROOT, stdio: ["ignore", "ignore", "inherit"] });
  } catch (error) {
    if (!existsSync(dist)) throw error;
    return `\`${command}\` failed; measured the dist/ that was there (${new Date(statSync(dist).mtimeMs).toISOString()})`;
  }
  return undefined;
}
