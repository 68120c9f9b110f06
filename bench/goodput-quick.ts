// One-off goodput check of the resilience pipeline, from the sources (no build needed):
//   npx tsx bench/goodput-quick.ts                      # 1,000 calls, all at once, token bucket 200/s burst 20
//   npx tsx bench/goodput-quick.ts --model fixed-window --limit 50 --window 1
//   npx tsx bench/goodput-quick.ts --n 1000 --concurrency 200 --rate 200 --burst 20 --runs 3
//   npx tsx bench/goodput-quick.ts --retry-after-jitter 100   # retry.retryAfterJitterMs (default: the SDK's)
//   npx tsx bench/goodput-quick.ts --headers             # simulator with inin-ratelimit-* headers (Genesys before 2021; default: none)
// Prints time ÷ ideal ((N − burst) ÷ rate) and the share of attempts answered 429. The full benchmark is `npm run bench`.
import { parseArgs } from "node:util";
import { createGenesysClient } from "../src/index.js";
import type { RateLimitModel } from "../src/simulator/types.js";
import type { BenchClient } from "./clients/types.js";
import { sdkRun } from "./clients/sdk.js";
import { runGoodput } from "./goodput.js";
import { numberFlag } from "./flags.js";

const { values } = parseArgs({
  options: {
    n: { type: "string", default: "1000" },
    concurrency: { type: "string" },
    model: { type: "string", default: "token-bucket" },
    rate: { type: "string", default: "200" },
    burst: { type: "string", default: "20" },
    limit: { type: "string", default: "50" },
    window: { type: "string", default: "1" },
    runs: { type: "string", default: "1" },
    // inin-ratelimit-* headers, as Genesys before 2021; without (the default) only 429s, as today.
    headers: { type: "boolean", default: false },
    "no-headers": { type: "boolean", default: false },
    "retry-after-jitter": { type: "string" },
  },
});
const n = numberFlag("n", values.n, { min: 1 });
const concurrency = numberFlag("concurrency", values.concurrency ?? values.n, { min: 1 });
const limit: RateLimitModel =
  values.model === "fixed-window"
    ? { model: "fixed-window", limit: numberFlag("limit", values.limit, { min: 1 }), windowSeconds: numberFlag("window", values.window, { min: 1 }) }
    : {
        model: "token-bucket",
        capacity: numberFlag("burst", values.burst, { min: 1 }),
        refillPerSecond: numberFlag("rate", values.rate, { min: 1, integer: false }),
      };

const sdkFromSources: BenchClient = {
  id: "sdk-src",
  label: "this SDK (sources, defaults)",
  async create(target) {
    // The SDK's defaults either way: with --no-headers it sees no headers, as against Genesys.
    const jitter = values["retry-after-jitter"];
    const resilience = jitter === undefined ? undefined : { retry: { retryAfterJitterMs: numberFlag("retry-after-jitter", jitter) } };
    const gc = createGenesysClient({ baseUrl: target.url, auth: { accessToken: target.token }, resilience });
    return sdkRun(gc, target, { close: () => void console.log(`  client stats at the end: ${JSON.stringify(gc.stats())}`) });
  },
};

console.log(
  `goodput-quick: N=${n}, ${concurrency} at once, ${JSON.stringify(limit)}${values.headers ? ", with inin-ratelimit-* headers" : ", no inin-ratelimit-* headers"}, Node ${process.version}`,
);
for (let run = 1, runs = numberFlag("runs", values.runs, { min: 1 }); run <= runs; run++) {
  const r = await runGoodput(sdkFromSources, { n, concurrency, limit, deadlineMs: 120_000, rateLimitHeaders: values.headers && !values["no-headers"] });
  console.log(
    `run ${run}: ${r.succeeded}/${r.n} ok in ${(r.totalMs / 1000).toFixed(2)} s; ideal ${(r.idealMs / 1000).toFixed(2)} s; ` +
      `time ÷ ideal ${r.ratio.toFixed(3)}; attempts ${r.attempts}; 429s ${r.r429} (${(r.r429Share * 100).toFixed(2)} % of attempts); ` +
      `retries ${r.clientRetries}; max arrivals per 10 ms after the first 429: ${r.maxPer10ms ?? "n/a (no 429)"}${r.notes.length ? `; ${r.notes.join("; ")}` : ""}`,
  );
}
