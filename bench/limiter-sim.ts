// The limiter alone in simulated time (test/support/limiter-sim.ts): the three scenarios of the goodput bench
// without HTTP, deterministic per seed, in a second. For tuning:
//   npx tsx bench/limiter-sim.ts [--seeds 5] [--jitter 100] [--tuning '{"beta":0.7}'] [--latency 0.5] [--latency-jitter 0.3] [--only bucket] [--record]
// --latency/--latency-jitter (one way, ms) bring it nearer the HTTP bench on a loaded machine (e.g. 3 and 6).
// --record (the defaults only) writes the medians into bench/latest.json and the README.
import { parseArgs } from "node:util";
import { serverModel, simLimiter, simulate, type ServerLimit } from "../test/support/limiter-sim.js";
import { writeReadme } from "./readme.js";
import { commandLine, runInfo, updateRecord, type LimiterSimRecord } from "./record.js";
import { median, round } from "./stats.js";
import { numberFlag } from "./flags.js";

const { values } = parseArgs({
  options: {
    seeds: { type: "string", default: "5" },
    tuning: { type: "string" },
    jitter: { type: "string", default: "100" },
    latency: { type: "string", default: "0.5" },
    "latency-jitter": { type: "string", default: "0.3" },
    only: { type: "string" },
    record: { type: "boolean", default: false },
  },
});
const shipped = !values.tuning && values.jitter === "100" && values.latency === "0.5" && values["latency-jitter"] === "0.3" && !values.only;
if (values.record && !shipped)
  throw new Error("--record records the shipped defaults on every scenario: leave out --tuning, --jitter, --latency, --latency-jitter and --only");
const seeds = numberFlag("seeds", values.seeds, { min: 1 });
const jitter = numberFlag("jitter", values.jitter, { integer: false });
const latency = numberFlag("latency", values.latency, { integer: false });
const latencyJitter = numberFlag("latency-jitter", values["latency-jitter"], { integer: false });
const run = runInfo(commandLine("npx tsx bench/limiter-sim.ts"), "full", seeds);
const recorded: LimiterSimRecord["scenarios"] = [];
const tuning = values.tuning ? (JSON.parse(values.tuning) as Record<string, number>) : undefined;
const SCENARIOS: { name: string; limit: ServerLimit; n: number; floorMs: number; body?: unknown }[] = [
  { name: "bucket 200/s burst 20", limit: { model: "token-bucket", capacity: 20, refillPerSecond: 200 }, n: 1000, floorMs: 4900 },
  { name: "window 200 / 1 s", limit: { model: "fixed-window", limit: 200, windowSeconds: 1 }, n: 1000, floorMs: 4000 },
  {
    name: "window 300 / 60 s + body limit",
    limit: { model: "fixed-window", limit: 300, windowSeconds: 60 },
    n: 650,
    floorMs: 120_000,
    body: {
      message: "Rate limit exceeded the maximum. Retry the request in [60] seconds",
      code: "too.many.requests.retry.after",
      limit: { key: "token.rate.per.minute", namespace: "platform.api", value: 300 },
    },
  },
];
for (const s of SCENARIOS.filter((x) => !values.only || x.name.includes(values.only!))) {
  const runs = [];
  for (let seed = 1; seed <= seeds; seed++) {
    const { clock, limiter } = simLimiter(tuning ? { tuning } : {});
    runs.push(
      await simulate(clock, limiter, serverModel(s.limit), {
        n: s.n,
        concurrency: 200,
        seed,
        body: s.body,
        retryAfterJitterMs: jitter,
        latencyMs: latency,
        jitterMs: latencyJitter,
      }),
    );
  }
  const ratio = median(runs.map((r) => r.totalMs / s.floorMs));
  const share = median(runs.map((r) => r.r429 / r.attempts));
  recorded.push({
    name: s.name,
    ratio: round(ratio, 3),
    r429Share: round(share, 6),
    r429Median: median(runs.map((r) => r.r429)),
    failed: runs.reduce((n, r) => n + r.failed, 0),
  });
  console.log(
    `${s.name.padEnd(32)} time ÷ floor ${ratio.toFixed(3)} (${runs.map((r) => (r.totalMs / s.floorMs).toFixed(2)).join(" ")}), ` +
      `429 ${(share * 100).toFixed(1)} % (${runs.map((r) => r.r429).join(" ")}), failed ${runs.map((r) => r.failed).join(" ")}`,
  );
}
if (values.record) {
  updateRecord({ limiterSim: { run, seeds, scenarios: recorded } });
  console.error(`recorded in bench/latest.json; ${writeReadme() ? "README.md figures rewritten" : "README.md figures unchanged"}`);
}
