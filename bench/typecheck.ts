// Type-check cost: the same 10-line consumer (get a user, list flows) against this SDK — the packed package
// (`npm pack` of dist/, installed into the consumer's node_modules) — and against the official SDK's .d.ts, in one
// run, runs interleaved: `tsc --noEmit` wall time, peak memory, and tsc's own count of declaration lines and check time.
import { execFileSync, spawnSync } from "node:child_process";
import { copyFileSync, mkdirSync, rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { REPO_ROOT } from "./child.js";
import { median } from "./stats.js";

// The consumers, as files: type-checked with the repository too (npm run typecheck), and the SDK one is also a
// fixture of test/types/tsc.test.ts (it must compile without an error).
const CONSUMERS = { sdk: "bench/consumers/genesys-cloud-sdk.ts", official: "bench/consumers/official-sdk.ts" } as const;

// What `tsc --init` gives a new project today (strict, nodenext, skipLibCheck), plus Node's types.
const TSCONFIG = {
  compilerOptions: {
    target: "es2022",
    module: "nodenext",
    moduleResolution: "nodenext",
    strict: true,
    skipLibCheck: true,
    noEmit: true,
    esModuleInterop: true,
    types: ["node"],
  },
  files: ["consumer.ts"],
};

export const WORK_DIR = join(REPO_ROOT, "bench", ".work");

export interface TypecheckResult {
  consumer: "sdk" | "official";
  ok: boolean;
  /** Median wall ms of `tsc --noEmit -p <dir>`. */
  wallMs: number;
  /** Median peak resident memory of the tsc process, MB. */
  peakRssMb: number;
  /** tsc's "Lines of Definitions" (declaration files parsed, @types/node included). */
  definitionLines: number;
  /** Median of tsc's own "Check time", ms. */
  checkMs: number;
  runs: number;
  errors?: string;
}

function writeConsumer(name: keyof typeof CONSUMERS): string {
  mkdirSync(WORK_DIR, { recursive: true });
  writeFileSync(join(WORK_DIR, ".gitignore"), "*\n"); // keeps the scratch dir out of git
  const dir = join(WORK_DIR, `typecheck-${name}`);
  mkdirSync(dir, { recursive: true });
  copyFileSync(join(REPO_ROOT, CONSUMERS[name]), join(dir, "consumer.ts"));
  writeFileSync(join(dir, "package.json"), JSON.stringify({ name: `typecheck-${name}`, private: true, type: "module" }));
  writeFileSync(join(dir, "tsconfig.json"), JSON.stringify(TSCONFIG, null, 2));
  return dir;
}

/** Installs the packed package into the consumer (its dependencies resolve from the repository's node_modules, above it). */
function installPacked(dir: string): void {
  const packDir = join(WORK_DIR, "pack");
  rmSync(packDir, { recursive: true, force: true });
  mkdirSync(packDir, { recursive: true });
  const [info] = JSON.parse(
    execFileSync("npm", ["pack", "--json", "--ignore-scripts", "--pack-destination", packDir], { cwd: REPO_ROOT, encoding: "utf8" }),
  ) as { filename: string }[];
  const target = join(dir, "node_modules", "genesys-cloud-sdk");
  rmSync(target, { recursive: true, force: true });
  mkdirSync(target, { recursive: true });
  execFileSync("tar", ["-xzf", join(packDir, info!.filename), "-C", target, "--strip-components=1"]);
}

function tscOnce(dir: string): { ok: boolean; wallMs: number; peakRssMb: number; definitionLines: number; checkMs: number; output: string } {
  const tsc = join(REPO_ROOT, "node_modules", "typescript", "bin", "tsc");
  const t0 = performance.now();
  // GNU time reports the peak RSS of the tsc process ("Maximum resident set size (kbytes)").
  const child = spawnSync("/usr/bin/time", ["-v", process.execPath, tsc, "--noEmit", "--extendedDiagnostics", "-p", dir], {
    cwd: dir,
    encoding: "utf8",
    timeout: 300_000,
  });
  const wallMs = performance.now() - t0;
  const rss = /Maximum resident set size \(kbytes\): (\d+)/.exec(child.stderr)?.[1];
  const lines = /Lines of Definitions:\s+(\d+)/.exec(child.stdout)?.[1];
  const check = /Check time:\s+([\d.]+)s/.exec(child.stdout)?.[1];
  const output = `${child.stdout.replace(/^Files:[\s\S]*$/m, "")}${child.stderr.replace(/\n?\s*Command being timed:[\s\S]*$/, "")}`.trim();
  return {
    ok: /Exit status: 0/.test(child.stderr),
    wallMs,
    peakRssMb: rss ? Number(rss) / 1024 : Number.NaN,
    definitionLines: Number(lines),
    checkMs: Number(check) * 1000,
    output,
  };
}

export function runTypecheck(runs: number): TypecheckResult[] {
  const dirs = { sdk: writeConsumer("sdk"), official: writeConsumer("official") };
  installPacked(dirs.sdk);
  const samples = { sdk: [] as ReturnType<typeof tscOnce>[], official: [] as ReturnType<typeof tscOnce>[] };
  // Interleaved, alternating which goes first: a load spike on the shared machine hits both.
  for (let i = 0; i < runs; i++) {
    const order = i % 2 ? (["official", "sdk"] as const) : (["sdk", "official"] as const);
    for (const name of order) samples[name].push(tscOnce(dirs[name]));
  }
  return (["sdk", "official"] as const).map((name) => {
    const s = samples[name];
    const failed = s.find((x) => !x.ok);
    return {
      consumer: name,
      ok: !failed,
      wallMs: median(s.map((x) => x.wallMs)),
      peakRssMb: median(s.map((x) => x.peakRssMb)),
      definitionLines: s[0]?.definitionLines ?? Number.NaN,
      checkMs: median(s.map((x) => x.checkMs)),
      runs,
      ...(failed ? { errors: failed.output.slice(0, 2000) } : {}),
    };
  });
}
