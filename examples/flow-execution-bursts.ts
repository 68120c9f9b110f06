// Scenario 2 (from a forum thread): bursts of flow executions at peak hours (POST /api/v2/flows/executions)
// must respect Retry-After — with jitter, so the burst does not come back in lockstep — and must not
// re-fetch OAuth tokens under load. A POST is retried on 429 (Genesys did not process it) but never
// blindly on a 5xx, so no flow runs twice.
//
// Run against the built-in simulator:  npx tsx examples/flow-execution-bursts.ts
import { createGenesysClient } from "genesys-cloud-sdk";
import { startSimulator } from "genesys-cloud-sdk/simulator";

export interface BurstResult {
  launched: number;
  failed: number;
  rateLimitedAbsorbed: number;
  duplicates: number;
  tokensRequested: number;
}

export async function main({ bursts = 3, perBurst = 60 } = {}): Promise<BurstResult> {
  // Peak hour: 50 flow launches per second allowed, bursts of `perBurst` at once.
  const sim = await startSimulator({ rateLimit: { model: "token-bucket", capacity: 10, refillPerSecond: 50 } });
  const gc = createGenesysClient({ baseUrl: sim.url, auth: { clientId: "sim-client", clientSecret: "sim-secret" } });
  let rateLimitedAbsorbed = 0;
  gc.on("rateLimited", () => rateLimitedAbsorbed++);
  try {
    let launched = 0;
    let failed = 0;
    for (let burst = 0; burst < bursts; burst++) {
      const results = await Promise.all(
        Array.from({ length: perBurst }, (_, i) =>
          gc.POST("/api/v2/flows/executions", {
            body: { flowId: "peak-hour-callback-flow", name: `burst ${burst} call ${i}`, inputData: { callbackId: `${burst}-${i}` } },
          }),
        ),
      );
      for (const { data, error } of results) {
        if (data?.id) launched++;
        else failed++, console.error(error?.message);
      }
    }
    const stats = sim.stats();
    return { launched, failed, rateLimitedAbsorbed, duplicates: stats.executions.duplicates, tokensRequested: stats.tokenRequests };
  } finally {
    await sim.close();
  }
}

if (process.argv[1] && import.meta.url.endsWith(process.argv[1].replace(/\\/g, "/"))) {
  const r = await main();
  console.log(
    `${r.launched} flows launched, ${r.failed} failed, ${r.rateLimitedAbsorbed} 429s absorbed, ${r.duplicates} duplicates, ${r.tokensRequested} token request(s).`,
  );
}
