// One member of a fleet (bench/fleet.ts starts N of these): a client of the shared simulator, with or without the
// Redis coordinator, that fires its calls when the parent says "go" and reports what it saw.
import { createGenesysClient } from "../src/index.js";
import { createRedisCoordinator } from "../src/redis/index.js";

export interface WorkerConfig {
  baseUrl: string;
  redisUrl: string | undefined;
  keyPrefix: string;
  calls: number;
  inFlight: number;
  /** A fleet-wide cap (requests per second), when the user knows the client's quota. */
  requestsPerSecond: number | undefined;
  burst: number;
}

export interface WorkerReport {
  ok: number;
  failed: number;
  failures: string[];
  rateLimited: number;
  tokenRequests: number;
  down: number;
  up: number;
  /** ms from "go" to the last answer. */
  durationMs: number;
}

const config = JSON.parse(process.argv[2] ?? "{}") as WorkerConfig;
const coordinator = config.redisUrl ? createRedisCoordinator({ url: config.redisUrl, keyPrefix: config.keyPrefix }) : undefined;
const gc = createGenesysClient({
  baseUrl: config.baseUrl,
  auth: { clientId: "sim-client", clientSecret: "sim-secret" },
  coordinator,
  resilience: {
    bulkhead: { maxConcurrent: config.inFlight },
    rateLimit: config.requestsPerSecond ? { requestsPerSecond: config.requestsPerSecond, burst: config.burst } : {},
  },
});
const report: WorkerReport = { ok: 0, failed: 0, failures: [], rateLimited: 0, tokenRequests: 0, down: 0, up: 0, durationMs: 0 };
gc.on("tokenRequest", () => void report.tokenRequests++);
gc.on("rateLimited", () => void report.rateLimited++);
gc.on("coordinatorDown", () => void report.down++);
gc.on("coordinatorUp", () => void report.up++);

process.on("message", async (message: string) => {
  if (message !== "go") return;
  const started = performance.now();
  let next = 0;
  async function lane(): Promise<void> {
    while (next < config.calls) {
      next++;
      try {
        const { response } = await gc.GET("/api/v2/users/me");
        if (response.ok) report.ok++;
        else report.failed++, report.failures.push(String(response.status));
      } catch (error) {
        report.failed++;
        report.failures.push(error instanceof Error ? `${error.name}: ${error.message.slice(0, 120)}` : String(error));
      }
    }
  }
  await Promise.all(Array.from({ length: config.inFlight }, lane));
  report.durationMs = performance.now() - started;
  report.failures = report.failures.slice(0, 5);
  process.send!(report, () => {
    void coordinator?.close().finally(() => process.exit(0));
    if (!coordinator) process.exit(0);
  });
});
process.send!("ready");
