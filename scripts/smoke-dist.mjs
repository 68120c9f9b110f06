// npm run check:package (after build): the built package, loaded as a user loads it — ESM import and CJS require of
// the main entry and the simulator — makes real calls (and an async job) against the simulator on 127.0.0.1.
import { createRequire } from "node:module";

const require = createRequire(import.meta.url);
const formats = {
  esm: { sdk: await import("../dist/index.js"), sim: await import("../dist/simulator.js") },
  cjs: { sdk: require("../dist/index.cjs"), sim: require("../dist/simulator.cjs") },
};

let failed = false;
for (const [name, { sdk, sim }] of Object.entries(formats)) {
  const server = await sim.startSimulator({ rateLimit: { model: "token-bucket", capacity: 5, refillPerSecond: 200 }, jobs: { processingMs: 50, results: 120 } });
  try {
    const gc = sdk.createGenesysClient({ baseUrl: server.url, auth: { clientId: "sim-client", clientSecret: "sim-secret" } });
    const results = await Promise.all(Array.from({ length: 40 }, () => gc.GET("/api/v2/users/me")));
    const ok = results.filter((r) => r.data?.id).length;
    const { error } = await gc.GET("/api/v2/users/{userId}", { params: { path: { userId: "no-such-user" } } });
    let items = 0;
    const body = { interval: "2025-01-06T00:00:00Z/2025-01-07T00:00:00Z" };
    for await (const c of gc.jobs.run("/api/v2/analytics/conversations/details/jobs", { body }, { poll: { initialDelayMs: 20 } })) items += c.conversationId ? 1 : 0;
    const good = ok === 40 && error instanceof sdk.GenesysApiError && server.stats().tokenRequests === 1 && items === 120;
    console.log(
      `smoke ${name}: ${ok}/40 calls ok, 404 → ${error?.name} ${error?.code}, job → ${items}/120 items, ${server.stats().tokenRequests} token request(s) — ${good ? "ok" : "FAILED"}`,
    );
    failed ||= !good;
  } catch (e) {
    console.log(`smoke ${name}: FAILED — ${e.message}`);
    failed = true;
  } finally {
    await server.close();
  }
}
process.exit(failed ? 1 : 0);
