// `npm run bench:fleet [-- --processes 8 --calls 250 --in-flight 100 --runs 3 --kill-redis --overhead --only 0,2 --record]`
// A fleet of N processes with one OAuth client against one simulator whose token bucket (200/s, burst 20) is
// shared by all of the client's tokens, no quota headers: alone (each process learns by itself), with the Redis
// coordinator (learned), with the coordinator and the fleet's quota configured (`requestsPerSecond`), and with
// Redis killed and restarted in the middle (with either). Prints medians of `--runs` runs (`--record`: also into
// bench/latest.json and the README); also used by `npm run demo -- --processes N`.
import { fork } from "node:child_process";
import { fileURLToPath } from "node:url";
import { parseArgs } from "node:util";
import { startSimulator } from "../src/simulator/index.js";
import { startRedisServer, type RedisServer } from "../test/support/redis-server.js";
import { overheadTable, runOverhead, type OverheadRow } from "./fleet-overhead.js";
import { writeReadme } from "./readme.js";
import { commandLine, runInfo, updateRecord } from "./record.js";
import { round } from "./stats.js";
import type { WorkerConfig, WorkerReport } from "./fleet-worker.js";
import { numberFlag } from "./flags.js";

export const RATE = 200;
export const BURST = 20;

export interface FleetMode {
  name: string;
  coordinator: boolean;
  requestsPerSecond?: number;
  killRedis?: boolean;
}

export interface FleetResult {
  mode: string;
  processes: number;
  calls: number;
  seconds: number;
  floorSeconds: number;
  attempts: number;
  rateLimited: number;
  tokenRequests: number;
  failed: number;
  down: number;
  up: number;
  failures: string[];
}

export const FLEET_RPS = 190;
export const MODES: FleetMode[] = [
  { name: "alone (no coordinator)", coordinator: false },
  { name: "Redis coordinator, limit learned", coordinator: true },
  { name: `Redis coordinator, requestsPerSecond ${FLEET_RPS}`, coordinator: true, requestsPerSecond: FLEET_RPS },
];

const WORKER = fileURLToPath(new URL("./fleet-worker.ts", import.meta.url));

export async function runFleet(
  mode: FleetMode,
  processes: number,
  calls: number,
  inFlight: number,
  redis: RedisServer | undefined,
  run: number,
): Promise<FleetResult> {
  const sim = await startSimulator({
    rateLimit: false,
    rateLimitHeaders: false,
    limits: [{ per: "client", limit: { model: "token-bucket", capacity: BURST, refillPerSecond: RATE } }],
  });
  const config: WorkerConfig = {
    baseUrl: sim.url,
    redisUrl: mode.coordinator ? redis?.url : undefined,
    keyPrefix: `fleet-${process.pid}-${run}-${mode.name.replace(/\W+/g, "-")}:`,
    calls,
    inFlight,
    requestsPerSecond: mode.requestsPerSecond,
    burst: 1,
  };
  if (mode.coordinator && !redis) throw new Error("the coordinator modes need redis-server");
  const workers = Array.from({ length: processes }, () =>
    fork(WORKER, [JSON.stringify(config)], { execArgv: ["--import", "tsx"], stdio: ["ignore", "inherit", "inherit", "ipc"] }),
  );
  try {
    await Promise.all(
      workers.map(
        (w) =>
          new Promise<void>((resolve, reject) => {
            w.once("message", () => resolve());
            w.once("exit", (code) => reject(new Error(`fleet worker exited (${code}) before it was ready`)));
          }),
      ),
    );
    const reports = workers.map((w) => new Promise<WorkerReport>((resolve) => w.on("message", (m) => typeof m === "object" && resolve(m as WorkerReport))));
    const started = performance.now();
    for (const w of workers) w.send("go");
    let outage: Promise<void> | undefined;
    if (mode.killRedis && redis) outage = killMidRun(redis, () => sim.stats().requests, processes * calls);
    const all = await Promise.all(reports);
    const seconds = (performance.now() - started) / 1000;
    await outage;
    const stats = sim.stats();
    const apiAnswers = Object.entries(stats.byRoute).filter(([route]) => route.includes("/api/v2/"));
    const attempts = apiAnswers.reduce((n, [, byStatus]) => n + Object.values(byStatus).reduce((a, b) => a + b, 0), 0);
    const rateLimited = apiAnswers.reduce((n, [, byStatus]) => n + (byStatus["429"] ?? 0), 0);
    return {
      mode: mode.name,
      processes,
      calls: processes * calls,
      seconds,
      floorSeconds: (processes * calls - BURST) / RATE,
      attempts,
      rateLimited,
      tokenRequests: stats.tokenRequests,
      failed: all.reduce((n, r) => n + r.failed, 0),
      down: all.reduce((n, r) => n + r.down, 0),
      up: all.reduce((n, r) => n + r.up, 0),
      failures: all.flatMap((r) => r.failures).slice(0, 5),
    };
  } finally {
    for (const w of workers) if (w.exitCode === null) w.kill();
    await sim.close();
  }
}

/** Kills redis-server once 40 % of the calls have arrived, and starts it again (empty) a second later. */
async function killMidRun(redis: RedisServer, arrived: () => number, total: number): Promise<void> {
  while (arrived() < total * 0.4) await new Promise((r) => setTimeout(r, 20));
  await redis.kill();
  await new Promise((r) => setTimeout(r, 1_000));
  await redis.start();
}

export function fleetTable(rows: FleetResult[]): string {
  const lines = [
    "| mode | processes × calls | time | ÷ floor | attempts | 429 share | token requests | failed calls | coordinatorDown / Up |",
    "| --- | --- | --- | --- | --- | --- | --- | --- | --- |",
  ];
  for (const r of rows) {
    lines.push(
      `| ${r.mode} | ${r.processes} × ${r.calls / r.processes} | ${r.seconds.toFixed(1)} s | ${(r.seconds / r.floorSeconds).toFixed(2)} × | ${r.attempts} | ${((100 * r.rateLimited) / Math.max(1, r.attempts)).toFixed(1)} % | ${r.tokenRequests} | ${r.failed} | ${r.down} / ${r.up} |`,
    );
  }
  return lines.join("\n");
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor((xs.length - 1) / 2)];

/** Median (by time) of several runs of one mode. */
export function medianRun(runs: FleetResult[]): FleetResult {
  const m = median(runs.map((r) => r.seconds));
  return runs.find((r) => r.seconds === m)!;
}

export async function main(argv: string[]): Promise<void> {
  const { values } = parseArgs({
    args: argv,
    options: {
      processes: { type: "string", default: "8" },
      calls: { type: "string", default: "250" },
      "in-flight": { type: "string", default: "100" },
      runs: { type: "string", default: "1" },
      "kill-redis": { type: "boolean", default: false },
      overhead: { type: "boolean", default: false },
      only: { type: "string" },
      warmup: { type: "string", default: "1" },
      record: { type: "boolean", default: false },
    },
  });
  if (values.record && values.only) throw new Error("--record records every mode: leave out --only");
  const processes = numberFlag("processes", values.processes, { min: 1 });
  const calls = numberFlag("calls", values.calls, { min: 1 });
  const inFlight = numberFlag("in-flight", values["in-flight"], { min: 1 });
  const runs = numberFlag("runs", values.runs, { min: 1 });
  const warmup = numberFlag("warmup", values.warmup);
  const run = runInfo(commandLine("npx tsx bench/fleet.ts", argv), "full", runs);
  const killed: FleetMode[] = [
    { name: `Redis killed at 40 % and restarted 1 s later (requestsPerSecond ${FLEET_RPS})`, coordinator: true, requestsPerSecond: FLEET_RPS, killRedis: true },
    { name: "Redis killed at 40 % and restarted 1 s later (limit learned)", coordinator: true, killRedis: true },
  ];
  const modes = [...MODES, ...(values["kill-redis"] ? killed : [])];
  const picked = values.only ? modes.filter((_, i) => values.only!.split(",").includes(String(i))) : modes;
  const redis = await startRedisServer();
  const rows: FleetResult[] = [];
  let overhead: OverheadRow[] | undefined;
  try {
    // The simulator runs in this process: its first run would be its JIT's warm-up too, and slower than the others.
    for (let i = 0; i < warmup; i++) await runFleet({ ...(picked[0] ?? MODES[0]!), killRedis: false }, processes, WARMUP_CALLS, inFlight, redis, -1 - i);
    for (const mode of picked) {
      const results: FleetResult[] = [];
      for (let i = 0; i < runs; i++) {
        const r = await runFleet(mode, processes, calls, inFlight, redis, i);
        console.error(
          `  ${mode.name}: ${r.seconds.toFixed(1)} s, ${r.rateLimited} × 429 of ${r.attempts}, ${r.tokenRequests} token request(s), ${r.failed} failed${r.failures.length ? ` (${r.failures.join("; ")})` : ""}`,
        );
        results.push(r);
      }
      rows.push(medianRun(results));
    }
    if (values.overhead) {
      console.log(`\nCoordination overhead per call on loopback Redis (one process, sequential calls, simulator without limits or latency):\n`);
      overhead = await runOverhead(redis, OVERHEAD_CALLS, OVERHEAD_ROUNDS);
      console.log(overheadTable(overhead));
    }
  } finally {
    await redis.stop();
  }
  console.log(
    `\n${processes} processes × ${calls} calls (${inFlight} in flight each), one token bucket ${RATE}/s burst ${BURST} shared by all tokens of the client, no quota headers; floor ${((processes * calls - BURST) / RATE).toFixed(1)} s${runs > 1 ? `; median of ${runs} runs` : ""}\n`,
  );
  console.log(fleetTable(rows));
  if (values.record) {
    const floorS = (processes * calls - BURST) / RATE;
    updateRecord({
      fleet: {
        run,
        processes,
        callsPerProcess: calls,
        inFlight,
        runs,
        rate: RATE,
        burst: BURST,
        floorS: round(floorS, 2),
        rows: rows.map((r) => ({
          mode: r.mode,
          seconds: round(r.seconds, 3),
          attempts: r.attempts,
          rateLimited: r.rateLimited,
          tokenRequests: r.tokenRequests,
          failed: r.failed,
          down: r.down,
          up: r.up,
        })),
        ...(overhead
          ? { overhead: { calls: OVERHEAD_CALLS, rounds: OVERHEAD_ROUNDS, rows: overhead.map((o) => ({ mode: o.mode, usPerCall: round(o.usPerCall, 0) })) } }
          : {}),
      },
    });
    console.error(`recorded in bench/latest.json; ${writeReadme() ? "README.md figures rewritten" : "README.md figures unchanged"}`);
  }
}

/** Calls per process of an untimed warm-up run. */
const WARMUP_CALLS = 100;
const OVERHEAD_CALLS = 2_000;
const OVERHEAD_ROUNDS = 5;

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) await main(process.argv.slice(2));
