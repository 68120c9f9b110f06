// From a run of `npm run bench` (bench/results/results.json) to the sections of the committed record.
// `npx tsx bench/record-results.ts [results.json]` records a finished run by hand (and rewrites the README's figures).
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { REPO_ROOT } from "./child.js";
import { ALL_CLIENTS } from "./clients/index.js";
import { writeReadme } from "./readme.js";
import { readRecord, targetSection, updateRecord, type BenchRecord, type RunInfo, type TargetFigure } from "./record.js";
import type { BenchResults } from "./report.js";
import { round } from "./stats.js";

const SECTIONS = ["goodput", "overhead", "size", "typecheck"] as const;

/** The command of a run that did not note its own: its mode and the sections it has. */
function derivedCommand(r: BenchResults): string {
  const present = SECTIONS.filter((s) => (s === "goodput" ? r.goodput.length > 0 : r[s] !== undefined));
  const all = present.length === SECTIONS.length && r.scale !== undefined;
  return ["npm run bench --", r.machine.mode === "quick" ? "--quick" : "", all ? "" : `--only ${present.join(",")}`].filter(Boolean).join(" ");
}

export function recordFromResults(r: BenchResults, previous: BenchRecord = {}): BenchRecord {
  const m = r.machine;
  const info = (section: string): RunInfo => {
    const s = r.sections?.[section];
    return {
      date: s?.date ?? m.date,
      command: m.command ?? derivedCommand(r),
      mode: m.mode,
      repeats: m.repeats,
      node: m.node,
      cpus: m.cpus,
      cpuModel: m.cpuModel.trim(),
      loadAvg: (s?.loadAvg ?? m.loadAvg).map((l) => round(l, 2)),
    };
  };
  const targets = (section: string): TargetFigure[] =>
    r.targets.filter((t) => targetSection(t.name) === section).map(({ name, target, value, met }) => ({ name, target, value, met }));
  const ok = (section: string) => !r.errors[section];
  const out: BenchRecord = {};

  if (r.goodput.length && ok("goodput")) {
    const run = info("goodput");
    const scenarios = r.goodput.map((s) => ({
      title: s.title,
      n: s.n,
      idealS: round((s.clients[0]?.idealMs ?? Number.NaN) / 1000, 2),
      headers: /inin-ratelimit/.test(s.title) && !/no headers/.test(s.title),
      clients: s.clients.map((c) => ({
        client: c.client,
        label: ALL_CLIENTS.find((x) => x.id === c.client)?.label ?? c.client,
        succeeded: c.succeeded,
        failed: c.failed,
        totalS: round(c.totalMs / 1000, 2),
        ratio: round(c.ratio, 2),
        attempts: c.attempts,
        r429: c.r429,
      })),
    }));
    // A scenario left out of this run (--no-genesys) keeps its figures from before, marked with that run.
    const kept = (previous.goodput?.scenarios ?? [])
      .filter((p) => !scenarios.some((s) => s.title === p.title))
      .map((p) => ({ ...p, run: p.run ?? previous.goodput!.run }));
    out.goodput = { run, scenarios: [...scenarios, ...kept], targets: targets("goodput") };
  }
  if (r.overhead && ok("overhead")) {
    const [bare, sdk] = r.overhead.clients;
    out.overhead = {
      run: info("overhead"),
      n: r.overhead.n,
      bareUs: round(bare.medianUs, 0),
      sdkUs: round(sdk.medianUs, 0),
      ratio: round(r.overhead.ratio, 2),
      heapGrowthMb: round(r.overhead.heapGrowthMb, 2),
      targets: targets("overhead"),
    };
  }
  if (r.size && ok("size")) {
    const s = r.size;
    out.size = {
      run: info("size"),
      budgets: { ...s.budgets },
      coreGzipBytes: s.core.core.gzipBytes,
      firstCallGzipBytes: s.core.firstCall.gzipBytes,
      lazy: s.core.lazy.map((c) => ({ file: c.file, gzipBytes: c.gzipBytes })),
      unpackedBytes: s.pack.unpackedBytes,
      largest: s.pack.largest.slice(0, 3),
      official: {
        version: s.officialVersion,
        webGzipBytes: s.bundles.official.gzipBytes,
        ...(s.officialUnpackedBytes ? { unpackedBytes: s.officialUnpackedBytes } : {}),
      },
      octokit: { gzipBytes: s.bundles.octokit.gzipBytes },
      importMs: { sdk: round(s.imports.sdk.importMs, 0), official: round(s.imports.official.importMs, 0), baseline: round(s.imports.baseline.importMs, 0) },
      targets: targets("size"),
    };
  }
  if (r.typecheck && ok("typecheck")) {
    const [sdk, official] = (["sdk", "official"] as const).map((c) => r.typecheck!.find((t) => t.consumer === c));
    out.typecheck = {
      run: info("typecheck"),
      runs: r.typecheck[0]?.runs ?? 0,
      consumers: r.typecheck.map((t) => ({ consumer: t.consumer, ok: t.ok, wallS: round(t.wallMs / 1000, 2), peakRssMb: round(t.peakRssMb, 0) })),
      wallRatio: sdk?.ok && official?.ok ? round(sdk.wallMs / official.wallMs, 6) : null,
      targets: targets("typecheck"),
    };
  }
  return out;
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  const file = process.argv[2] ?? join(REPO_ROOT, "bench", "results", "results.json");
  updateRecord(recordFromResults(JSON.parse(readFileSync(file, "utf8")) as BenchResults, readRecord()));
  writeReadme();
}
