// A simulator on loopback and SDK clients pointed at it, for tests of the client's behaviour over real HTTP.
import { afterAll, beforeAll, beforeEach } from "vitest";
import { createGenesysClient, type GenesysClient, type GenesysClientOptions } from "../../src/index.js";
import { startSimulator, type Arrival, type Simulator, type SimulatorOptions } from "../../src/simulator/index.js";

export async function startSim(options: SimulatorOptions = {}): Promise<{ sim: Simulator; token: string }> {
  const sim = await startSimulator({ rateLimit: false, ...options });
  return { sim, token: sim.issueToken() };
}

/**
 * One simulator for a test file: started before all tests, reset (no faults, no limit, no latency, fresh stats)
 * before each, closed after all. `assign` receives it and a token issued directly.
 */
export function useSharedSim(assign: (shared: { sim: Simulator; token: string }) => void): void {
  let shared: { sim: Simulator; token: string } | undefined;
  beforeAll(async () => assign((shared = await startSim())));
  afterAll(() => shared?.sim.close());
  beforeEach(() => {
    shared?.sim.configure({ faults: [], rateLimit: false, limits: [], rateLimitHeaders: false, latencyMs: 0 });
    shared?.sim.resetStats();
  });
}

/** A client of `sim` with a token issued directly (no token request in the stats). */
export function simClient(sim: Simulator, token: string, options: Omit<GenesysClientOptions, "baseUrl"> = {}): GenesysClient {
  return createGenesysClient({ baseUrl: sim.url, auth: { accessToken: token }, ...options });
}

/** API arrivals (no token requests), oldest first. */
export const apiArrivals = (sim: Simulator): Arrival[] =>
  sim
    .stats()
    .arrivals.filter((a) => a.route.startsWith("/api/v2/"))
    .sort((a, b) => a.t - b.t);

/** Most arrivals in any `slotMs` slot. */
export function peakPerSlot(arrivals: readonly Arrival[], slotMs = 10): number {
  const slots = new Map<number, number>();
  for (const a of arrivals) slots.set(Math.floor(a.t / slotMs), (slots.get(Math.floor(a.t / slotMs)) ?? 0) + 1);
  return Math.max(0, ...slots.values());
}

export const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
