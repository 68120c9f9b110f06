// The demo's end-of-run figures: one object, printed as a table or as JSON.
import type { CallOutcome } from "./workload.js";

export interface DemoSummary {
  target: "simulator" | "genesys";
  calls: number;
  succeeded: number;
  failed: number;
  /** 429 answers the SDK received and absorbed (waited out, then retried). */
  absorbed429: number;
  retries: number;
  /** Executions the simulator recorded twice (POST retried unsafely); null against a real org. */
  duplicates: number | null;
  tokensRequested: number;
  latencyMs: { p50: number; p95: number; max: number };
  totalSeconds: number;
  /** Fastest possible time under the configured limit: (requests − burst) ÷ rate. Null when unknown. */
  idealSeconds: number | null;
  /** totalSeconds ÷ idealSeconds. */
  vsIdeal: number | null;
  limit: string;
  faults: string;
  failures: Record<string, number>;
}

export function percentile(sorted: number[], p: number): number {
  if (sorted.length === 0) return 0;
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)]!;
}

export function latencies(outcomes: CallOutcome[]): DemoSummary["latencyMs"] {
  const ms = outcomes.map((o) => o.ms).sort((a, b) => a - b);
  const round = (x: number) => Math.round(x);
  return { p50: round(percentile(ms, 50)), p95: round(percentile(ms, 95)), max: round(ms.at(-1) ?? 0) };
}

export function failureReasons(outcomes: CallOutcome[]): Record<string, number> {
  const reasons: Record<string, number> = {};
  for (const o of outcomes) if (!o.ok) reasons[o.error ?? `HTTP ${o.status}`] = (reasons[o.error ?? `HTTP ${o.status}`] ?? 0) + 1;
  return reasons;
}

export function renderTable(s: DemoSummary): string {
  const rows: [string, string][] = [
    ["target", s.target === "simulator" ? "built-in simulator (127.0.0.1)" : "real Genesys Cloud org (read-only)"],
    ["limit", s.limit],
    ["faults", s.faults],
    ["calls", String(s.calls)],
    ["succeeded", String(s.succeeded)],
    ["failed", String(s.failed)],
    ["429s absorbed", String(s.absorbed429)],
    ["retries", String(s.retries)],
    ["duplicates", s.duplicates === null ? "n/a" : String(s.duplicates)],
    ["tokens requested", String(s.tokensRequested)],
    ["latency p50 / p95 / max", `${s.latencyMs.p50} / ${s.latencyMs.p95} / ${s.latencyMs.max} ms`],
    ["total time", `${s.totalSeconds.toFixed(2)} s`],
    ["ideal time", s.idealSeconds === null ? "n/a" : `${s.idealSeconds.toFixed(2)} s (${s.vsIdeal?.toFixed(2)}× ideal)`],
  ];
  const width = Math.max(...rows.map(([k]) => k.length));
  const lines = rows.map(([k, v]) => `  ${k.padEnd(width)}  ${v}`);
  for (const [reason, n] of Object.entries(s.failures)) lines.push(`  ${"failure".padEnd(width)}  ${n} × ${reason}`);
  return lines.join("\n");
}
