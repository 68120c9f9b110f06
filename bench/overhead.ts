// Overhead: sequential GETs without faults or rate limit, per-call latency and client CPU of bare openapi-fetch vs
// this SDK. Both clients live in one child process and take turns in blocks of calls, so a change in the machine's
// background load hits both alike; the simulator runs in this (parent) process. Heap after GC at the end of each
// round shows whether anything is retained (growth across rounds = a leak).
import { fileURLToPath } from "node:url";
import { clientById } from "./clients/index.js";
import type { BenchTarget, ClientRun } from "./clients/types.js";
import { runChild } from "./child.js";
import { prepareSimulator } from "./sim.js";
import { median, percentile } from "./stats.js";

interface ChildSpec {
  clients: string[];
  target: BenchTarget;
  /** Calls per client per round. */
  n: number;
  rounds: number;
  warmup: number;
  /** Calls a client makes before the other takes its turn. */
  block: number;
}

export interface OverheadClientRound {
  medianUs: number;
  p90Us: number;
  /** Client process CPU (user + system) per call, µs. */
  cpuUsPerCall: number;
}

export interface OverheadChildResult {
  n: number;
  /** Per client: one entry per round. */
  rounds: Record<string, OverheadClientRound[]>;
  /** Heap after GC (MB) once the client was created and warmed up, minus before: what it holds on to. */
  retainedMb: Record<string, number>;
  failures: Record<string, number>;
  /** heapUsed after a full GC at the end of each round (both clients), MB. */
  heapMb: number[];
}

const MB = 1024 * 1024;

async function childMain(spec: ChildSpec): Promise<OverheadChildResult> {
  const gcFn = (globalThis as { gc?: () => void }).gc;
  if (!gcFn) throw new Error("overhead child needs --expose-gc");
  const gc = gcFn;
  const heap = () => (gc(), process.memoryUsage().heapUsed / MB);
  const runs = new Map<string, ClientRun>();
  const retainedMb: Record<string, number> = {};
  const failures: Record<string, number> = {};
  for (const id of spec.clients) {
    const before = heap();
    const run = await clientById(id).create(spec.target);
    failures[id] = 0;
    for (let i = 0; i < spec.warmup; i++) if (!(await run.call(i))) failures[id]++;
    retainedMb[id] = heap() - before;
    runs.set(id, run);
  }
  const rounds: Record<string, OverheadClientRound[]> = Object.fromEntries(spec.clients.map((c) => [c, []]));
  const heapMb: number[] = [];
  for (let r = 0; r < spec.rounds; r++) {
    const durations = new Map(spec.clients.map((c) => [c, new Float64Array(spec.n)]));
    const cpuUs = new Map(spec.clients.map((c) => [c, 0]));
    for (let start = 0, turn = 0; start < spec.n; start += spec.block, turn++) {
      const order = turn % 2 ? [...spec.clients].reverse() : spec.clients;
      for (const id of order) {
        const run = runs.get(id)!;
        const out = durations.get(id)!;
        const cpu0 = process.cpuUsage();
        for (let i = start; i < Math.min(spec.n, start + spec.block); i++) {
          const t0 = performance.now();
          if (!(await run.call(i))) failures[id]++;
          out[i] = (performance.now() - t0) * 1000;
        }
        const cpu = process.cpuUsage(cpu0);
        cpuUs.set(id, cpuUs.get(id)! + cpu.user + cpu.system);
      }
    }
    for (const id of spec.clients) {
      const us = Array.from(durations.get(id)!);
      rounds[id].push({ medianUs: median(us), p90Us: percentile(us, 90), cpuUsPerCall: cpuUs.get(id)! / spec.n });
    }
    heapMb.push(heap());
  }
  for (const run of runs.values()) await run.close?.();
  return { n: spec.n, rounds, retainedMb, failures, heapMb };
}

export interface OverheadOptions {
  clients: readonly string[];
  n: number;
  rounds: number;
  /** Child processes (the clients' creation order alternates between them). */
  repeats: number;
  warmup?: number;
  block?: number;
}

export async function runOverhead(options: OverheadOptions): Promise<OverheadChildResult[]> {
  const { clients, n, rounds, repeats, warmup = 2000, block = 500 } = options;
  const { sim, token, userIds } = await prepareSimulator(false);
  const results: OverheadChildResult[] = [];
  try {
    for (let r = 0; r < repeats; r++) {
      const order = r % 2 ? [...clients].reverse() : [...clients];
      const spec: ChildSpec = { clients: order, target: { url: sim.url, token, userIds }, n, rounds, warmup, block };
      results.push(await runChild<OverheadChildResult>(fileURLToPath(import.meta.url), ["--child", JSON.stringify(spec)]));
      sim.resetStats(); // the arrivals list would otherwise grow with every call
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
