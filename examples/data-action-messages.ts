// Scenario 1 (from a forum thread): a Node.js Data Action integration fires ~50 concurrent calls at
// GET /api/v2/conversations/messages and used to get 429s. With the SDK the calls queue behind the bulkhead,
// wait out Retry-After together, and all finish; one token serves them all.
//
// Run against the built-in simulator:  npx tsx examples/data-action-messages.ts
import { createGenesysClient } from "genesys-cloud-sdk";
import { startSimulator } from "genesys-cloud-sdk/simulator";

export interface ScenarioResult {
  calls: number;
  succeeded: number;
  rateLimitedAbsorbed: number;
  tokensRequested: number;
}

export async function fetchMessagesConcurrently(baseUrl: string, calls = 50): Promise<Omit<ScenarioResult, "tokensRequested">> {
  const gc = createGenesysClient({
    baseUrl, // in production: region: "eu_west_1" (and no baseUrl)
    auth: { clientId: "sim-client", clientSecret: "sim-secret" },
  });
  let rateLimitedAbsorbed = 0;
  gc.on("rateLimited", () => rateLimitedAbsorbed++);

  const results = await Promise.all(Array.from({ length: calls }, () => gc.GET("/api/v2/conversations/messages")));
  const succeeded = results.filter((r) => r.data !== undefined).length;
  for (const { error } of results) if (error) console.error(`${error.status} ${error.code}: ${error.message} (correlation ${error.correlationId})`);
  return { calls, succeeded, rateLimitedAbsorbed };
}

/** Starts a simulator with a tight per-token limit (20 requests per second), runs the scenario, closes it. */
export async function main(calls = 50): Promise<ScenarioResult> {
  const sim = await startSimulator({ rateLimit: { model: "fixed-window", limit: 20, windowSeconds: 1 } });
  try {
    const result = await fetchMessagesConcurrently(sim.url, calls);
    return { ...result, tokensRequested: sim.stats().tokenRequests };
  } finally {
    await sim.close();
  }
}

if (process.argv[1] && import.meta.url.endsWith(process.argv[1].replace(/\\/g, "/"))) {
  const r = await main();
  console.log(`${r.succeeded}/${r.calls} calls succeeded; ${r.rateLimitedAbsorbed} 429s absorbed; ${r.tokensRequested} token request(s).`);
}
