// Turns the collected results into the markdown report (tables + targets).
import type { RateLimitModel } from "../src/simulator/types.js";
import { ALL_CLIENTS } from "./clients/index.js";
import type { GoodputResult } from "./goodput.js";
import type { SizeResult } from "./size.js";
import type { TypecheckResult } from "./typecheck.js";

export type GoodputSummary = Omit<GoodputResult, "completions"> & { completions: number[]; runs: number };

export interface GoodputSection {
  title: string;
  limit: RateLimitModel;
  /** How to read this limit's ideal. */
  note?: string;
  n: number;
  concurrency: number;
  chart: string;
  clients: GoodputSummary[];
}

export interface OverheadSummary {
  client: string;
  n: number;
  medianUs: number;
  p90Us: number;
  cpuUsPerCall: number;
  /** Heap the client holds after creation and warm-up (after GC), MB. */
  retainedMb: number;
  failures: number;
}

export interface Target {
  name: string;
  target: string;
  value: string;
  met: boolean;
}

export interface BenchResults {
  machine: {
    cpus: number;
    cpuModel: string;
    node: string;
    platform: string;
    memoryGb: number;
    loadAvg: number[];
    date: string;
    mode: "quick" | "full";
    repeats: number;
    command?: string;
  };
  /** When each section started, and the load average then. */
  sections?: Record<string, { date: string; loadAvg: number[] }>;
  goodput: GoodputSection[];
  overhead?: {
    n: number;
    rounds: number;
    repeats: number;
    clients: OverheadSummary[];
    ratio: number;
    cpuRatio: number;
    /** heapUsed after GC at the end of each round, per child process (MB). */
    heapMb: number[][];
    /** Largest (last round − first round) over the processes, MB. */
    heapGrowthMb: number;
  };
  size?: SizeResult;
  typecheck?: TypecheckResult[];
  scale?: { goodput: GoodputSummary[]; overhead: { n: number; openapiUs: number; sdkUs: number; ratio: number; openapiCpuUs: number; sdkCpuUs: number }[] };
  targets: Target[];
  errors: Record<string, string>;
  durationS: number;
}

const label = (id: string) => ALL_CLIENTS.find((c) => c.id === id)?.label ?? id;
const f = (v: number | undefined, d = 2) => (v === undefined || !Number.isFinite(v) ? "–" : v.toFixed(d));
const pct = (v: number) => (Number.isFinite(v) ? `${(v * 100).toFixed(1)} %` : "–");
const slot = (v: number | null) => (v === null ? "– (no 429)" : String(v));
const row = (cells: (string | number)[]) => `| ${cells.join(" | ")} |`;

function goodputTable(s: GoodputSection): string[] {
  return [
    `### Goodput — ${s.title}`,
    "",
    `N = ${s.n} calls (\`GET /api/v2/users/{userId}\`), ${s.concurrency} in flight, fresh simulator per client; ideal = ${f(s.clients[0]?.idealMs / 1000)} s. Medians of ${s.clients[0]?.runs ?? 0} run(s).`,
    ...(s.note ? ["", s.note] : []),
    "",
    row(["Client", "OK", "Failed", "Time (s)", "÷ ideal", "Attempts", "429s", "429 / success", "429 share", "Retries", "Max arrivals / 10 ms"]),
    row(["---", "---:", "---:", "---:", "---:", "---:", "---:", "---:", "---:", "---:", "---:"]),
    ...s.clients.map((c) =>
      row([
        label(c.client),
        c.succeeded,
        c.failed,
        f(c.totalMs / 1000),
        c.failed ? "– (incomplete)" : f(c.ratio),
        c.attempts,
        c.r429,
        f(c.r429PerSuccess),
        pct(c.r429Share),
        c.retries,
        slot(c.maxPer10ms),
      ]),
    ),
    "",
    `![${s.title}](${s.chart})`,
    "",
  ];
}

export function renderMarkdown(r: BenchResults): string {
  const m = r.machine;
  const out = [
    `# genesys-cloud-sdk benchmarks (${m.mode})`,
    "",
    `Machine: ${m.cpus} × ${m.cpuModel}, ${m.memoryGb.toFixed(1)} GB, ${m.platform}, Node ${m.node}; load average at start ${m.loadAvg.map((l) => l.toFixed(2)).join(" / ")}. ${m.date}. Total ${r.durationS.toFixed(0)} s.`,
    "The machine is shared and noisy: figures are medians of repeated runs.",
    "",
    "## Targets (this SDK)",
    "",
    row(["Target", "Goal", "Measured", "Met"]),
    row(["---", "---", "---", "---"]),
    ...r.targets.map((t) => row([t.name, t.target, t.value, t.met ? "yes" : "**no**"])),
    "",
  ];
  for (const s of r.goodput) out.push(...goodputTable(s));
  if (r.goodput.length)
    out.push(
      "*Attempts* = API requests the simulator received; *Retries* = attempts − N; *Max arrivals / 10 ms* = the largest number of requests",
      "that arrived in one 10 ms slot from the first 429 on, leaving out the opening wave of 200 (a steady 200 req/s is 2 per slot).",
      "*÷ ideal* is shown only when every call succeeded (a client that gives up early is fast but did not finish the work).",
      "",
    );
  const notes = [...new Set(r.goodput.flatMap((s) => s.clients.flatMap((c) => c.notes.map((n) => `${label(c.client)}: ${n}`))))];
  if (notes.length) out.push("Notes:", "", ...notes.map((n) => `- ${n}`), "");

  if (r.overhead) {
    const o = r.overhead;
    out.push(
      "## Overhead (no faults, no rate limit)",
      "",
      `${o.n} sequential \`GET /api/v2/users/{userId}\` per client per round, ${o.rounds} rounds in each of ${o.repeats} child process(es); both clients in the same`,
      "process taking turns every 500 calls (so background load hits both alike) after 2,000 warm-up calls each; the simulator runs in the parent process.",
      "",
      row(["Client", "Median µs / call", "p90 µs", "Client CPU µs / call", "Heap held after warm-up (MB)", "Failures"]),
      row(["---", "---:", "---:", "---:", "---:", "---:"]),
      ...o.clients.map((c) => row([label(c.client), f(c.medianUs, 0), f(c.p90Us, 0), f(c.cpuUsPerCall, 0), f(c.retainedMb), c.failures])),
      "",
      `Heap after GC at the end of each round (MB, both clients): ${o.heapMb.map((h) => h.map((x) => x.toFixed(2)).join(" → ")).join("; ")} — largest growth ${f(o.heapGrowthMb)} MB.`,
      "",
      `Ratio SDK ÷ openapi-fetch: **${f(o.ratio)}×** wall per call, ${f(o.cpuRatio)}× client CPU per call.`,
      "",
    );
  }
  if (r.size) {
    const s = r.size;
    const kB = (bytes: number) => `${(bytes / 1000).toFixed(1)} kB`;
    const MB = (bytes: number) => `${(bytes / 1e6).toFixed(1)} MB`;
    out.push(
      "## Size and start-up",
      "",
      row(["Build", "Minified", "Min + gzip", "Files bundled"]),
      row(["---", "---:", "---:", "---:"]),
      row([
        `this SDK, core: \`import { createGenesysClient }\` + dependencies (budget ${kB(s.budgets.coreGzipBytes)})`,
        kB(s.core.core.minBytes),
        kB(s.core.core.gzipBytes),
        s.core.core.inputs,
      ]),
      ...s.core.lazy.map((c) => row([`this SDK, loaded on first use: \`${c.file}\` (with the shared chunks it needs)`, kB(c.minBytes), kB(c.gzipBytes), "–"])),
      row([
        `this SDK, first call: the core + \`${s.core.firstCall.file}\` (budget ${kB(s.budgets.firstCallGzipBytes)})`,
        kB(s.core.firstCall.minBytes),
        kB(s.core.firstCall.gzipBytes),
        "–",
      ]),
      row([
        `official ${s.officialVersion}: \`${s.bundles.official.entry.replace(/^node_modules\//, "")}\``,
        kB(s.bundles.official.minBytes),
        kB(s.bundles.official.gzipBytes),
        s.bundles.official.inputs,
      ]),
      "",
      "Through esbuild (bundle, minify, ESM, browser platform; code splitting for this SDK: the core is the entry chunk and what it imports statically), gzip level 9; 1 kB = 1,000 bytes.",
      "",
      `Package (\`npm pack\`): ${MB(s.pack.unpackedBytes)} unpacked, ${MB(s.pack.packedBytes)} packed, ${s.pack.files} files (budget ${MB(s.budgets.unpackedBytes)} unpacked); largest: ${s.pack.largest.map((f) => `\`${f.path}\` ${MB(f.bytes)}`).join(", ")}.`,
      "",
      row(["Cold import in a fresh Node process", "import() ms", "whole process ms"]),
      row(["---", "---:", "---:"]),
      row(["`genesys-cloud-sdk` (dist)", f(s.imports.sdk.importMs, 1), f(s.imports.sdk.processMs, 0)]),
      row(["`purecloud-platform-client-v2`", f(s.imports.official.importMs, 1), f(s.imports.official.processMs, 0)]),
      row(["`node:os` (baseline)", f(s.imports.baseline.importMs, 1), f(s.imports.baseline.processMs, 0)]),
      "",
      `Medians of ${s.imports.sdk.runs} processes each.`,
      "",
    );
  }
  if (r.typecheck) {
    out.push(
      "## Type-check cost",
      "",
      "The same 10-line consumer (get a user, list flows), `tsc --noEmit` with strict / nodenext / skipLibCheck (as `tsc --init`) in one run, runs interleaved; this SDK installed from `npm pack`. Peak RSS from GNU time; declaration lines and check time as tsc reports them (`--extendedDiagnostics`).",
      "",
      row(["Consumer against", "tsc wall (s)", "Peak RSS (MB)", "Declaration lines", "Check time (s)", "Compiles"]),
      row(["---", "---:", "---:", "---:", "---:", "---"]),
      ...r.typecheck.map((t) =>
        row([
          t.consumer === "sdk" ? "this SDK (packed)" : "official SDK (index.d.ts)",
          f(t.wallMs / 1000),
          f(t.peakRssMb, 0),
          Number.isFinite(t.definitionLines) ? t.definitionLines.toLocaleString("en-US") : "–",
          f(t.checkMs / 1000),
          t.ok ? "yes" : `no: ${t.errors?.split("\n")[0]}`,
        ]),
      ),
      "",
      `Medians of ${r.typecheck[0]?.runs ?? 0} run(s) each.`,
      "",
    );
  }
  if (r.scale) {
    out.push(
      "## Scale",
      "",
      "Goodput of this SDK (defaults), token bucket 200/s burst 20, 200 in flight:",
      "",
      row(["N", "Ideal (s)", "Time (s)", "÷ ideal", "Failed", "429 share", "Max arrivals / 10 ms"]),
      row(["---:", "---:", "---:", "---:", "---:", "---:", "---:"]),
      ...r.scale.goodput.map((g) =>
        row([g.n, f(g.idealMs / 1000), f(g.totalMs / 1000), g.failed ? "– (incomplete)" : f(g.ratio), g.failed, pct(g.r429Share), slot(g.maxPer10ms)]),
      ),
      "",
      "Overhead (sequential GETs, N per client, both clients in one process taking turns, one round after 1,000 warm-up calls):",
      "",
      row(["N", "openapi-fetch µs / call", "SDK µs / call", "Ratio", "openapi-fetch CPU µs", "SDK CPU µs"]),
      row(["---:", "---:", "---:", "---:", "---:", "---:"]),
      ...r.scale.overhead.map((o) => row([o.n, f(o.openapiUs, 0), f(o.sdkUs, 0), f(o.ratio), f(o.openapiCpuUs, 0), f(o.sdkCpuUs, 0)])),
      "",
    );
  }
  const errors = Object.entries(r.errors);
  if (errors.length) out.push("## Errors", "", ...errors.map(([k, v]) => `- ${k}: ${v}`), "");
  out.push("Reproduce: `npm run build && npm run bench` (full) or `npm run bench -- --quick`.", "");
  return out.join("\n");
}
