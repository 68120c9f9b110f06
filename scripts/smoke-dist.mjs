// npm run check:package (after build): the built package, loaded as a user loads it — ESM import and CJS require of
// the main entry, the simulator and the Redis coordinator — makes real calls (and an async job) against the simulator on 127.0.0.1.
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
// genesys-cloud-sdk/redis: both formats load; the main entry never pulls in ioredis; with a redis-server at hand, two
// clients (each with its own coordinator, as two processes) share one token.
import { spawn, spawnSync } from "node:child_process";
import { readFileSync } from "node:fs";
import { createServer } from "node:net";
for (const file of ["../dist/index.js", "../dist/index.cjs"]) {
  if (readFileSync(new URL(file, import.meta.url), "utf8").includes("ioredis")) {
    console.log(`smoke redis: FAILED — ${file} mentions ioredis`);
    failed = true;
  }
}
const redisFormats = { esm: await import("../dist/redis.js"), cjs: require("../dist/redis.cjs") };
const haveRedis = spawnSync("redis-server", ["--version"], { stdio: "ignore" }).status === 0;
for (const [name, redisEntry] of Object.entries(redisFormats)) {
  if (typeof redisEntry.createRedisCoordinator !== "function") {
    console.log(`smoke redis ${name}: FAILED — no createRedisCoordinator`);
    failed = true;
    continue;
  }
  if (!haveRedis) {
    console.log(`smoke redis ${name}: loads (no redis-server here: sharing not run)`);
    continue;
  }
  const port = await new Promise((resolve) => {
    const s = createServer().listen(0, "127.0.0.1", () => {
      const { port: free } = s.address();
      s.close(() => resolve(free));
    });
  });
  const redis = spawn("redis-server", ["--port", String(port), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no"], { stdio: "ignore" });
  const server = await formats[name].sim.startSimulator({ rateLimit: false });
  const coordinators = [0, 1].map(() => redisEntry.createRedisCoordinator({ url: `redis://127.0.0.1:${port}`, keyPrefix: `smoke-${name}:` }));
  try {
    await new Promise((r) => setTimeout(r, 300));
    const clients = coordinators.map((coordinator) => formats[name].sdk.createGenesysClient({ baseUrl: server.url, auth: { clientId: "sim-client", clientSecret: "sim-secret" }, coordinator }));
    const results = await Promise.all(clients.flatMap((gc) => Array.from({ length: 10 }, () => gc.GET("/api/v2/users/me"))));
    const ok = results.filter((r) => r.data?.id).length;
    const good = ok === 20 && server.stats().tokenRequests === 1;
    console.log(`smoke redis ${name}: ${ok}/20 calls ok, ${server.stats().tokenRequests} token request(s) for two clients — ${good ? "ok" : "FAILED"}`);
    failed ||= !good;
  } catch (e) {
    console.log(`smoke redis ${name}: FAILED — ${e.message}`);
    failed = true;
  } finally {
    await Promise.all(coordinators.map((c) => c.close()));
    await server.close();
    redis.kill("SIGKILL");
  }
}
process.exit(failed ? 1 : 0);
