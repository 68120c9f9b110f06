// npm run demo [-- --calls 1000 --concurrency 50 --window-limit 100 --window-seconds 1 | --bucket --rate 200 --burst 20] [--no-faults] [--json]
// Starts the built-in simulator as today's Genesys answers (no quota headers; 429 with Retry-After in whole seconds
// and the limit named in the body; Genesys's per-token window of 300 per 60 s scaled to 100 per 1 s so the demo
// ends in seconds) plus faults — or, with GENESYS_CLIENT_ID/SECRET/REGION set, uses a real org read-only — and fires
// a realistic workload through one SDK client.
// npm run demo -- --processes 8 [--kill-redis]: a fleet of processes sharing one quota, alone and through Redis (bench/fleet.ts).
import { parseArgs } from "node:util";

if (process.argv.includes("--processes")) {
  // The fleet demo: N processes of one OAuth client against one simulator, with and without the Redis coordinator.
  const { main } = await import("../bench/fleet.js");
  await main(process.argv.slice(2));
  process.exit(0);
}
import { createGenesysClient, type GenesysClient, type GenesysRegion } from "../src/index.js";
import { startSimulator } from "../src/simulator/index.js";
import type { FaultRule, RateLimitModel, Simulator } from "../src/simulator/types.js";
import { startProgress } from "./progress.js";
import { failureReasons, latencies, renderTable, type DemoSummary } from "./summary.js";
import { runWorkload, type CallOutcome } from "./workload.js";

const { values } = parseArgs({
  options: {
    calls: { type: "string" },
    concurrency: { type: "string" },
    bucket: { type: "boolean", default: false },
    rate: { type: "string", default: "200" },
    burst: { type: "string", default: "20" },
    "window-limit": { type: "string", default: "100" },
    "window-seconds": { type: "string", default: "1" },
    "no-faults": { type: "boolean", default: false },
    json: { type: "boolean", default: false },
    help: { type: "boolean", default: false },
  },
});

if (values.help) {
  console.log(`npm run demo -- [options]
  --calls N            calls to fire at once (default 1000; 100 against a real org)
  --concurrency N      SDK bulkhead: calls in flight at once (default: the SDK default)
  --window-limit N     simulator fixed window per token: N requests per --window-seconds (default 100 per 1 s:
                       Genesys's 300 per 60 s, scaled down), named in 429 bodies as Genesys does
  --bucket             use a token bucket instead: --rate R requests/s, --burst B (default 200, 20)
  --no-faults          no 503 burst / latency
  --json               print only the summary as JSON
  --processes N        fleet demo instead: N processes × --calls (default 250), 100 in flight each, one quota
                       shared by all, alone vs. through a Redis coordinator (needs redis-server); --kill-redis
                       adds a run with redis-server killed and restarted mid-run
Real org: set GENESYS_CLIENT_ID, GENESYS_CLIENT_SECRET, GENESYS_REGION (read-only workload).`);
  process.exit(0);
}

const log = values.json ? () => {} : (text: string) => console.log(text);
const real = Boolean(process.env.GENESYS_CLIENT_ID && process.env.GENESYS_CLIENT_SECRET && process.env.GENESYS_REGION);
const calls = Number(values.calls ?? (real ? 100 : 1000));
const concurrency = values.concurrency ? Number(values.concurrency) : undefined;
const rate = Number(values.rate);
const burst = Number(values.burst);
for (const [name, v] of Object.entries({ calls, rate, burst, concurrency: concurrency ?? 1 })) {
  if (!Number.isFinite(v) || v <= 0) throw new TypeError(`--${name} must be a positive number, got "${v}"`);
}

// The window's name in 429 bodies: Genesys's per-token key, with the unit of the scaled window.
const windowSeconds = Number(values["window-seconds"]);
const unit = windowSeconds === 1 ? "second" : windowSeconds === 60 ? "minute" : undefined;
const limit: RateLimitModel = values.bucket
  ? { model: "token-bucket", capacity: burst, refillPerSecond: rate }
  : {
      model: "fixed-window",
      limit: Number(values["window-limit"]),
      windowSeconds,
      name: unit ? { key: `token.rate.per.${unit}`, namespace: "platform.api" } : false,
    };
// A 429 storm (the org's limit spent by another integration: Retry-After 1 s) and a 503 burst on the read routes. POSTs are not in it: the SDK does not retry a POST on 503
// (it may have been processed), so a 503 on a POST is the caller's decision, not something to absorb.
const faults: FaultRule[] = values["no-faults"]
  ? []
  : [
      { kind: "status", status: 503, route: "/api/v2/users*", method: "GET", probability: 0.5, window: { startMs: 1000, endMs: 1600 } },
      { kind: "status", status: 503, route: "/api/v2/conversations/messages", method: "GET", probability: 0.5, window: { startMs: 1000, endMs: 1600 } },
      { kind: "status", status: 429, retryAfter: 1, route: "/api/v2/*", probability: 0.5, window: { startMs: 2500, endMs: 2800 } },
      { kind: "latency", latencyMs: 5 },
    ];
const FAULTS_TEXT = "429 storm (2.5–2.8 s, Retry-After 1 s), 503 burst on GETs (1.0–1.6 s), 5 ms latency";

function describeLimit(): string {
  return limit.model === "token-bucket"
    ? `token bucket ${limit.refillPerSecond} req/s, burst ${limit.capacity} (per token)`
    : `fixed window ${limit.limit} req / ${limit.windowSeconds} s (per token; no quota headers, limit named in 429 bodies)`;
}

function idealSeconds(requests: number): number {
  if (limit.model === "token-bucket") return Math.max(0, requests - limit.capacity) / limit.refillPerSecond;
  return Math.max(0, Math.ceil(requests / limit.limit) - 1) * limit.windowSeconds;
}

async function main(): Promise<void> {
  let sim: Simulator | undefined;
  let gc: GenesysClient;
  const resilience = concurrency ? { bulkhead: { maxConcurrent: concurrency } } : {};
  if (real) {
    log(`Running a READ-ONLY workload (${calls} GETs) against the real Genesys Cloud org in ${process.env.GENESYS_REGION}. Nothing is written.`);
    gc = createGenesysClient({
      region: process.env.GENESYS_REGION as GenesysRegion,
      auth: { clientId: process.env.GENESYS_CLIENT_ID!, clientSecret: process.env.GENESYS_CLIENT_SECRET! },
      resilience,
    });
  } else {
    sim = await startSimulator({ rateLimit: limit, faults });
    log(`Simulator on ${sim.url}: ${describeLimit()}; ${faults.length ? FAULTS_TEXT : "no faults"}.`);
    log(
      `Firing ${calls} calls at once: GET /api/v2/users (paged), GET /api/v2/conversations/messages, POST /api/v2/flows/executions, POST /api/v2/integrations/actions/{actionId}/execute.\n`,
    );
    gc = createGenesysClient({ baseUrl: sim.url, auth: { clientId: "sim-client", clientSecret: "sim-secret" }, resilience });
  }

  let absorbed429 = 0;
  let retries = 0;
  let tokens = 0;
  gc.on("rateLimited", () => absorbed429++);
  gc.on("retry", () => retries++);
  gc.on("tokenRequest", () => tokens++);
  const done: CallOutcome[] = [];
  const stop = values.json
    ? () => {}
    : startProgress({
        total: calls,
        completed: () => done.length,
        failed: () => done.filter((o) => !o.ok).length,
        retries: () => retries,
        absorbed429: () => absorbed429,
        stats: () => gc.stats(),
      });

  const t0 = performance.now();
  let outcomes: CallOutcome[];
  try {
    outcomes = await runWorkload(gc, { calls, readOnly: real, onDone: (o) => done.push(o) });
  } finally {
    stop();
  }
  const totalSeconds = (performance.now() - t0) / 1000;
  const simStats = sim?.stats();
  await sim?.close();

  const ideal = real ? null : idealSeconds(calls);
  const summary: DemoSummary = {
    target: real ? "genesys" : "simulator",
    calls,
    succeeded: outcomes.filter((o) => o.ok).length,
    failed: outcomes.filter((o) => !o.ok).length,
    absorbed429,
    retries,
    duplicates: simStats ? simStats.executions.duplicates : null,
    tokensRequested: simStats ? simStats.tokenRequests : tokens,
    latencyMs: latencies(outcomes),
    totalSeconds,
    idealSeconds: ideal,
    vsIdeal: ideal ? totalSeconds / ideal : null,
    limit: real ? "Genesys Cloud's own" : describeLimit(),
    faults: real ? "none injected" : faults.length ? FAULTS_TEXT : "none",
    failures: failureReasons(outcomes),
  };
  if (values.json) console.log(JSON.stringify(summary, null, 2));
  else log(`\nSummary\n${renderTable(summary)}`);
  process.exitCode = summary.failed === 0 && (summary.duplicates ?? 0) === 0 ? 0 : 1;
}

main().catch((error: Error) => {
  console.error(`demo failed: ${error.message}`);
  process.exit(1);
});
