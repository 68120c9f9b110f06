// npm run check:package (after build): the built package, loaded as a user loads it — ESM import and CJS require of
// the main entry, genesys-cloud-sdk/operations, the simulator and the Redis coordinator — makes real calls against
// the simulator on 127.0.0.1, including those that load lazily (gc.call and a 403's permission hint: the operation
// table; gc.paginate: the pager) and an async job.
import { createServer } from "node:http";
import { createRequire } from "node:module";

const require = createRequire(import.meta.url);
const formats = {
  esm: { sdk: await import("../dist/index.js"), ops: await import("../dist/operations.js"), sim: await import("../dist/simulator.js") },
  cjs: { sdk: require("../dist/index.cjs"), ops: require("../dist/operations.cjs"), sim: require("../dist/simulator.cjs") },
};

// The simulator grants every permission: a loopback server answers the 403 (as Genesys does, missing.permissions).
const forbidden = createServer((_req, res) => {
  res.writeHead(403, { "content-type": "application/json" }).end(JSON.stringify({ status: 403, code: "missing.permissions", message: "Missing permission" }));
});
await new Promise((resolve) => forbidden.listen(0, "127.0.0.1", resolve));
const forbiddenUrl = `http://127.0.0.1:${forbidden.address().port}`;

let failed = false;
for (const [name, { sdk, ops, sim }] of Object.entries(formats)) {
  const server = await sim.startSimulator({
    rateLimit: { model: "token-bucket", capacity: 5, refillPerSecond: 200 },
    jobs: { processingMs: 50, results: 120 },
  });
  try {
    const gc = sdk.createGenesysClient({ baseUrl: server.url, auth: { clientId: "sim-client", clientSecret: "sim-secret" } });
    const results = await Promise.all(Array.from({ length: 40 }, () => gc.GET("/api/v2/users/me")));
    const ok = results.filter((r) => r.data?.id).length;
    const { error } = await gc.GET("/api/v2/users/{userId}", { params: { path: { userId: "no-such-user" } } });
    const byName = await gc.call("getUsersMe");
    const denied = await sdk.createGenesysClient({ baseUrl: forbiddenUrl }).GET("/api/v2/routing/queues/{queueId}", { params: { path: { queueId: "q" } } });
    const required = denied.error?.requiredPermissions?.permissions ?? [];
    const expected = ops.findOperation("getRoutingQueue")?.permissions?.permissions ?? [];
    let users = 0;
    for await (const user of gc.paginate("/api/v2/users", { params: { query: { pageSize: 10 } }, limit: 25 })) users += user.id ? 1 : 0;
    let items = 0;
    const body = { interval: "2025-01-06T00:00:00Z/2025-01-07T00:00:00Z" };
    for await (const c of gc.jobs.run("/api/v2/analytics/conversations/details/jobs", { body }, { poll: { initialDelayMs: 20 } }))
      items += c.conversationId ? 1 : 0;
    const checks = {
      calls: ok === 40,
      // 40 at once into a bucket of 5: 429s, so the limiter's learning (loaded on the first one) ran in this format.
      learned: server.stats().rateLimited > 0 && gc.stats().rateLimits.some((l) => l.source === "learned"),
      job: items === 120,
      typedError: error instanceof sdk.GenesysApiError && error.status === 404,
      oneToken: server.stats().tokenRequests === 1,
      call: byName.data?.id !== undefined,
      permissionHint: denied.error?.status === 403 && required.length > 0 && required.join() === expected.join(),
      paginate: users === 25,
      operations: ops.findOperation("getUser")?.path === "/api/v2/users/{userId}" && ops.listOperations().length === ops.specInfo.operations,
    };
    const bad = Object.entries(checks)
      .filter(([, v]) => !v)
      .map(([k]) => k);
    console.log(
      `smoke ${name}: ${ok}/40 calls ok, 404 → ${error?.name}, gc.call, 403 hint (${required.length} permissions), ${users} paged users, job ${items}/120 items, operations subpath — ${bad.length ? `FAILED: ${bad.join(", ")}` : "ok"}`,
    );
    failed ||= bad.length > 0;
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
import { createServer as createNetServer } from "node:net";
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
    const s = createNetServer().listen(0, "127.0.0.1", () => {
      const { port: free } = s.address();
      s.close(() => resolve(free));
    });
  });
  const redis = spawn("redis-server", ["--port", String(port), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no"], { stdio: "ignore" });
  const server = await formats[name].sim.startSimulator({ rateLimit: false });
  const coordinators = [0, 1].map(() => redisEntry.createRedisCoordinator({ url: `redis://127.0.0.1:${port}`, keyPrefix: `smoke-${name}:` }));
  try {
    await new Promise((r) => setTimeout(r, 300));
    const clients = coordinators.map((coordinator) =>
      formats[name].sdk.createGenesysClient({ baseUrl: server.url, auth: { clientId: "sim-client", clientSecret: "sim-secret" }, coordinator }),
    );
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
forbidden.close();
process.exit(failed ? 1 : 0);
