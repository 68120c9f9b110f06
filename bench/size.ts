// Size and start-up: the core bundle of `createGenesysClient` with its dependencies, as a bundler ships it (and the
// chunks it loads on first use), vs the official SDK's web build and Octokit with its retry and throttling plugins;
// the packed package; cold `import` time in a fresh Node process. The core and package figures are measured as
// `npm run check:package` checks them (package-size.ts).
import { spawnSync } from "node:child_process";
import { createRequire } from "node:module";
import { readdirSync, statSync } from "node:fs";
import { dirname, join } from "node:path";
import { gzipSync } from "node:zlib";
import { build } from "esbuild";
import { BUDGETS, coreSize, packSize } from "../scripts/package-size.js";
import { REPO_ROOT } from "./child.js";
import { median } from "./stats.js";

export interface BundleSize {
  entry: string;
  minBytes: number;
  gzipBytes: number;
  /** Input files esbuild pulled in (entry + dependencies). */
  inputs: number;
}

export interface ImportTime {
  specifier: string;
  /** Median ms from `import()` start to resolution, inside the process. */
  importMs: number;
  /** Median wall ms of the whole `node -e` process (Node start-up included). */
  processMs: number;
  runs: number;
}

// The official package's "browser" field points here: a prebuilt, self-contained bundle.
export const OFFICIAL_WEB_BUILD = "node_modules/purecloud-platform-client-v2/dist/web-cjs/purecloud-platform-client-v2.min.js";

// Octokit with its retry and throttling plugins: the strongest peer's answer to rate limits, as a bundler ships it.
export const OCTOKIT_ENTRY = "bench/peers/octokit-size.js";

export async function bundleSize(entry: string): Promise<BundleSize> {
  const result = await build({
    entryPoints: [join(REPO_ROOT, entry)],
    bundle: true,
    minify: true,
    format: "esm",
    platform: "browser",
    write: false,
    metafile: true,
    logLevel: "silent",
  });
  const bytes = result.outputFiles[0].contents;
  return { entry, minBytes: bytes.length, gzipBytes: gzipSync(bytes, { level: 9 }).length, inputs: Object.keys(result.metafile.inputs).length };
}

export function coldImport(specifier: string, runs: number): ImportTime {
  const code = `const t=performance.now();await import(${JSON.stringify(specifier)});process.stdout.write(String(performance.now()-t))`;
  const importMs: number[] = [];
  const processMs: number[] = [];
  for (let i = 0; i < runs; i++) {
    const t0 = performance.now();
    const child = spawnSync(process.execPath, ["--input-type=module", "-e", code], { cwd: REPO_ROOT, encoding: "utf8", timeout: 60_000 });
    processMs.push(performance.now() - t0);
    if (child.status !== 0) throw new Error(`import("${specifier}") failed: ${child.stderr.slice(-1000)}`);
    importMs.push(Number(child.stdout));
  }
  return { specifier, importMs: median(importMs), processMs: median(processMs), runs };
}

export function officialVersion(): string {
  return (createRequire(join(REPO_ROOT, "package.json"))("purecloud-platform-client-v2/package.json") as { version: string }).version;
}

/** Bytes of every file of the installed official package: what npm reports as its unpacked size. */
export function officialUnpackedBytes(): number {
  const dir = dirname(createRequire(join(REPO_ROOT, "package.json")).resolve("purecloud-platform-client-v2/package.json"));
  const walk = (d: string): number =>
    readdirSync(d, { withFileTypes: true }).reduce(
      (sum, e) => sum + (e.isDirectory() ? walk(join(d, e.name)) : e.isFile() ? statSync(join(d, e.name)).size : 0),
      0,
    );
  return walk(dir);
}

export async function runSize(importRuns: number) {
  return {
    core: await coreSize(),
    budgets: BUDGETS,
    pack: packSize(),
    bundles: { official: await bundleSize(OFFICIAL_WEB_BUILD), octokit: await bundleSize(OCTOKIT_ENTRY) },
    imports: {
      // Self-reference: resolves "genesys-cloud-sdk" through package.json "exports" to dist/index.js.
      sdk: coldImport("genesys-cloud-sdk", importRuns),
      official: coldImport("purecloud-platform-client-v2", importRuns),
      baseline: coldImport("node:os", importRuns),
    },
    officialVersion: officialVersion(),
    officialUnpackedBytes: officialUnpackedBytes(),
  };
}

export type SizeResult = Awaited<ReturnType<typeof runSize>>;
