// Overhead: sequential GETs without faults or rate limit, per-call latency and client CPU, bare openapi-fetch vs
// this SDK; heap after GC at the end of each round (growth across rounds = a leak). The simulator runs in this
// (parent) process, each client in its own child process so its heap and CPU are its own.
import { fileURLToPath } from "node:url";
import { clientById } from "./clients/index.js";
import type { BenchTarget } from "./clients/types.js";
import { runChild } from "./child.js";
import { prepareSimulator } from "./sim.js";
import { median, percentile } from "./stats.js";

interface ChildSpec {
  client: string;
  target: BenchTarget;
  n: number;
  rounds: number;
  warmup: number;
}

export interface OverheadRound {
  medianUs: number;
  p90Us: number;
  /** Client process CPU (user + system) per call, µs. */
  cpuUsPerCall: number;
  /** heapUsed after a full GC at the end of the round, MB. */
  heapMb: number;
}

export interface OverheadChildResult {
  client: string;
  n: number;
  failures: number;
  heapBeforeMb: number;
  rounds: OverheadRound[];
}

const MB = 1024 * 1024;

async function childMain(spec: ChildSpec): Promise<OverheadChildResult> {
  const gc = (globalThis as { gc?: () => void }).gc;
  if (!gc) throw new Error("overhead child needs --expose-gc");
  const run = await clientById(spec.client).create(spec.target);
  let failures = 0;
  for (let i = 0; i < spec.warmup; i++) if (!(await run.call(i))) failures++;
  gc();
  const heapBeforeMb = process.memoryUsage().heapUsed / MB;
  const rounds: OverheadRound[] = [];
  const durations = new Float64Array(spec.n);
  for (let r = 0; r < spec.rounds; r++) {
    const cpu0 = process.cpuUsage();
    for (let i = 0; i < spec.n; i++) {
      const t0 = performance.now();
      if (!(await run.call(i))) failures++;
      durations[i] = (performance.now() - t0) * 1000;
    }
    const cpu = process.cpuUsage(cpu0);
    gc();
    const us = Array.from(durations);
    rounds.push({
      medianUs: median(us),
      p90Us: percentile(us, 90),
      cpuUsPerCall: (cpu.user + cpu.system) / spec.n,
      heapMb: process.memoryUsage().heapUsed / MB,
    });
  }
  await run.close?.();
  return { client: spec.client, n: spec.n, failures, heapBeforeMb, rounds };
}

export interface OverheadOptions {
  clients: readonly string[];
  n: number;
  rounds: number;
  repeats: number;
  warmup?: number;
}

/** Runs every client `repeats` times (alternating the order), each in a fresh child process. */
export async function runOverhead(options: OverheadOptions): Promise<OverheadChildResult[]> {
  const { clients, n, rounds, repeats, warmup = 500 } = options;
  const { sim, token, userIds } = await prepareSimulator(false);
  const results: OverheadChildResult[] = [];
  try {
    for (let r = 0; r < repeats; r++) {
      const order = r % 2 ? [...clients].reverse() : clients;
      for (const client of order) {
        const spec: ChildSpec = { client, target: { url: sim.url, token, userIds }, n, rounds, warmup };
        results.push(await runChild<OverheadChildResult>(fileURLToPath(import.meta.url), ["--child", JSON.stringify(spec)]));
        sim.resetStats();
      }
    }
  } finally {
    await sim.close();
  }
  return results;
}

if (process.argv[2] === "--child") {
  childMain(JSON.parse(process.argv[3]) as ChildSpec).then(
    (result) => console.log(JSON.stringify(result)),
    (error: unknown) => {
      console.error(error);
      process.exitCode = 1;
    },
  );
}
