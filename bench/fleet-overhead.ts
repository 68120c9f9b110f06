// What the Redis coordinator costs per call on loopback: sequential calls of one client against the simulator (no
// limits, no latency), alone vs. with the coordinator — in steady state the token is local and no limit is known,
// so no Redis step at all — vs. with a fleet-wide requestsPerSecond (one Lua GCRA step per call); and the bare
// round trip of that step.
import { createGenesysClient, type GenesysClientOptions } from "../src/index.js";
import { createRedisCoordinator } from "../src/redis/index.js";
import { startSimulator } from "../src/simulator/index.js";
import type { RedisServer } from "../test/support/redis-server.js";

export interface OverheadRow {
  mode: string;
  /** Median over rounds of the mean µs per call. */
  usPerCall: number;
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor((xs.length - 1) / 2)];

export async function runOverhead(redis: RedisServer, calls = 2_000, rounds = 5): Promise<OverheadRow[]> {
  const sim = await startSimulator({ rateLimit: false });
  const rows: OverheadRow[] = [];
  const closers: (() => Promise<void>)[] = [];
  try {
    const client = (extra: Partial<GenesysClientOptions>) =>
      createGenesysClient({ baseUrl: sim.url, auth: { clientId: "sim-client", clientSecret: "sim-secret" }, ...extra });
    const coordinator = () => {
      const c = createRedisCoordinator({ url: redis.url, keyPrefix: `overhead-${Math.random()}:` });
      closers.push(() => c.close());
      return c;
    };
    const modes: [string, ReturnType<typeof client>][] = [
      ["alone", client({})],
      ["coordinator, no stated rate (token local; the learned pace: one Lua turn per call)", client({ coordinator: coordinator() })],
      [
        "coordinator + requestsPerSecond (one Lua GCRA step per call)",
        client({ coordinator: coordinator(), resilience: { rateLimit: { requestsPerSecond: 1e6, burst: 1e6 } } }),
      ],
    ];
    for (const [, gc] of modes) for (let i = 0; i < 200; i++) await gc.GET("/api/v2/users/me"); // warm up: token, JIT, connections
    const samples = new Map<string, number[]>(modes.map(([m]) => [m, []]));
    for (let r = 0; r < rounds; r++) {
      for (const [mode, gc] of modes) {
        const t = performance.now();
        for (let i = 0; i < calls; i++) await gc.GET("/api/v2/users/me");
        samples.get(mode)!.push(((performance.now() - t) * 1000) / calls);
      }
    }
    for (const [mode] of modes) rows.push({ mode, usPerCall: median(samples.get(mode)!) });
    // The bare step: one GCRA take, round trip included.
    const limits = coordinator().attach({ clientId: "overhead", apiOrigin: sim.url }).limits;
    for (let i = 0; i < 200; i++) await limits.take("warm", 1e6, 1e6);
    const steps: number[] = [];
    for (let i = 0; i < 2_000; i++) {
      const t = performance.now();
      await limits.take("k", 1e6, 1e6);
      steps.push((performance.now() - t) * 1000);
    }
    rows.push({ mode: "one Lua GCRA step alone (round trip, median)", usPerCall: median(steps) });
    return rows;
  } finally {
    await Promise.all(closers.map((c) => c()));
    await sim.close();
  }
}

export const overheadTable = (rows: OverheadRow[]) =>
  ["| mode | µs per call |", "| --- | --- |", ...rows.map((r) => `| ${r.mode} | ${r.usPerCall.toFixed(0)} |`)].join("\n");
