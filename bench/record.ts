// The committed record of the last bench runs (bench/latest.json): the few figures the README quotes, per section,
// each section with the run it comes from (date, command, machine, load). bench/results/ keeps a run's full detail
// but is git-ignored; this file is what bench/readme.ts renders into the README.
import { readFileSync, writeFileSync } from "node:fs";
import { cpus, loadavg } from "node:os";
import { join } from "node:path";
import { REPO_ROOT } from "./child.js";
import { round } from "./stats.js";

export const RECORD_PATH = join(REPO_ROOT, "bench", "latest.json");

export interface RunInfo {
  /** ISO time the section started. */
  date: string;
  /** The command that produced the section, as typed. */
  command: string;
  /** quick: 1 repeat (a rough figure); full: the bench's repeats. */
  mode: "quick" | "full";
  repeats: number;
  node: string;
  cpus: number;
  cpuModel: string;
  /** 1 / 5 / 15 min load average when the section started (the machine is shared). */
  loadAvg: number[];
}

export interface ClientFigures {
  client: string;
  label: string;
  succeeded: number;
  failed: number;
  totalS: number;
  ratio: number;
  /** API requests the simulator received (the 429 share is r429 ÷ attempts, as the bench computes it). */
  attempts: number;
  r429: number;
}

export interface TargetFigure {
  name: string;
  target: string;
  value: string;
  met: boolean;
}

export interface GoodputRecord {
  run: RunInfo;
  scenarios: {
    title: string;
    n: number;
    idealS: number;
    headers: boolean;
    clients: ClientFigures[];
    /** Set when the scenario was left out of the section's run: the earlier run its figures come from. */
    run?: RunInfo;
  }[];
  targets: TargetFigure[];
}

export interface OverheadRecord {
  run: RunInfo;
  n: number;
  bareUs: number;
  sdkUs: number;
  ratio: number;
  heapGrowthMb: number;
  targets: TargetFigure[];
}

export interface SizeRecord {
  run: RunInfo;
  budgets: { coreGzipBytes: number; firstCallGzipBytes?: number; unpackedBytes: number };
  coreGzipBytes: number;
  /** Core + call stack + token flow: a client-credentials client once its first call is under way (absent in older records). */
  firstCallGzipBytes?: number;
  lazy: { file: string; gzipBytes: number }[];
  unpackedBytes: number;
  largest: { path: string; bytes: number }[];
  official: { version: string; webGzipBytes: number; unpackedBytes?: number };
  /** Octokit core + plugin-retry + plugin-throttling, bundled as the core is (absent in older records). */
  octokit?: { gzipBytes: number };
  importMs: { sdk: number; official: number; baseline: number };
  targets: TargetFigure[];
}

export interface TypecheckRecord {
  run: RunInfo;
  runs: number;
  consumers: { consumer: "sdk" | "official"; ok: boolean; wallS: number; peakRssMb: number }[];
  /** This SDK's consumer's wall time ÷ the official one's (from the unrounded medians); null when one failed. */
  wallRatio: number | null;
  targets: TargetFigure[];
}

export interface LimiterSimRecord {
  run: RunInfo;
  seeds: number;
  scenarios: { name: string; ratio: number; r429Share: number; r429Median: number; failed: number }[];
}

export interface FleetRecord {
  run: RunInfo;
  processes: number;
  callsPerProcess: number;
  inFlight: number;
  runs: number;
  rate: number;
  burst: number;
  floorS: number;
  rows: { mode: string; seconds: number; attempts: number; rateLimited: number; tokenRequests: number; failed: number; down: number; up: number }[];
  /** Coordination overhead per call on loopback Redis (`--overhead`), when measured. */
  overhead?: { calls: number; rounds: number; rows: { mode: string; usPerCall: number }[] };
}

export interface NotificationsRecord {
  run: RunInfo;
  runs: number;
  seconds: number;
  allChecksPassed: boolean;
  dropsPerRun: number[];
  reconnectMsMedian: number;
  reconnectMsMaxWorst: number;
  rolloversPerRun: number[];
  missing: number;
  duplicates: number;
  lostOutsideGaps: number;
  intervalsWithoutGap: number;
  leftOpen: { sockets: number; timers: number };
}

export interface BenchRecord {
  goodput?: GoodputRecord;
  overhead?: OverheadRecord;
  size?: SizeRecord;
  typecheck?: TypecheckRecord;
  limiterSim?: LimiterSimRecord;
  fleet?: FleetRecord;
  notifications?: NotificationsRecord;
}

export type SectionName = keyof BenchRecord;

/** The run a section is measured in, described as the bench itself sees it (load average at the start). */
export function runInfo(command: string, mode: RunInfo["mode"], repeats: number, date = new Date(), load = loadavg()): RunInfo {
  const cpu = cpus();
  return {
    date: date.toISOString(),
    command,
    mode,
    repeats,
    node: process.version,
    cpus: cpu.length,
    cpuModel: cpu[0]?.model.trim() ?? "unknown",
    loadAvg: load.map((l) => round(l, 2)),
  };
}

/** How the current process was started, as a user would type it (`npx tsx bench/x.ts --flag`). */
export function commandLine(prefix: string, args = process.argv.slice(2)): string {
  return args.length ? [prefix, ...args].join(" ") : prefix.replace(/ --$/, "");
}

export function readRecord(path = RECORD_PATH): BenchRecord {
  try {
    return JSON.parse(readFileSync(path, "utf8")) as BenchRecord;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === "ENOENT") return {};
    throw error;
  }
}

/**
 * Replaces the given sections and keeps the others as they were (with their own run info): a run of some sections
 * (`--only`, a failed section) does not erase the figures of the rest.
 */
export function updateRecord(sections: BenchRecord, path = RECORD_PATH): BenchRecord {
  const defined = Object.fromEntries(Object.entries(sections).filter(([, v]) => v !== undefined));
  const next: BenchRecord = { ...readRecord(path), ...defined };
  const ordered = Object.fromEntries(SECTION_ORDER.filter((k) => next[k]).map((k) => [k, next[k]]));
  writeFileSync(path, `${JSON.stringify(ordered, null, 2)}\n`);
  return ordered;
}

export const SECTION_ORDER: SectionName[] = ["goodput", "overhead", "size", "typecheck", "limiterSim", "fleet", "notifications"];

/** Which record section a target of bench/run.ts belongs to, by the target's name. */
export function targetSection(name: string): "goodput" | "overhead" | "size" | "typecheck" {
  if (name.startsWith("goodput")) return "goodput";
  if (name.startsWith("overhead") || name.startsWith("memory")) return "overhead";
  if (name.startsWith("core bundle") || name.startsWith("first call") || name.startsWith("package")) return "size";
  if (name.startsWith("tsc")) return "typecheck";
  throw new Error(`bench target "${name}" belongs to no record section: add it to targetSection() in bench/record.ts`);
}

/** What is wrong with a record for the README: run info incomplete, a figure that is not a number (NaN became null). */
export function recordProblems(record: BenchRecord): string[] {
  const problems: string[] = [];
  for (const [name, section] of Object.entries(record) as [string, { run?: RunInfo }][]) {
    if (!SECTION_ORDER.includes(name as SectionName)) problems.push(`${name}: not a known section`);
    const run = section.run;
    if (!run) {
      problems.push(`${name}: no run info`);
      continue;
    }
    if (Number.isNaN(Date.parse(run.date))) problems.push(`${name}: run.date is not a date`);
    if (!run.command?.trim()) problems.push(`${name}: run.command is empty`);
    if (run.mode !== "quick" && run.mode !== "full") problems.push(`${name}: run.mode must be quick or full`);
    if (!(run.repeats >= 1)) problems.push(`${name}: run.repeats must be ≥ 1`);
    if (!(run.cpus >= 1) || !run.cpuModel || !/^v\d+\./.test(run.node)) problems.push(`${name}: run machine (cpus, cpuModel, node) incomplete`);
    if (run.loadAvg?.length !== 3 || !run.loadAvg.every(Number.isFinite)) problems.push(`${name}: run.loadAvg must be the 1 / 5 / 15 min load`);
    const walk = (value: unknown, at: string): void => {
      if ((value === null && !at.endsWith(".wallRatio")) || (typeof value === "number" && !Number.isFinite(value)))
        problems.push(`${name}: ${at} is not a number`);
      else if (typeof value === "object") for (const [k, v] of Object.entries(value as object)) walk(v, `${at}.${k}`);
    };
    walk(section, name);
  }
  return problems;
}
