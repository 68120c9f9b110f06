// Loads the simulator (src/simulator) and prepares it for a benchmark: a fresh instance per client, a few
// real user ids, then the rate limit switched on with clean stats.
import type { RateLimitModel, Simulator, SimulatorOptions } from "../src/simulator/types.js";

// A variable specifier: the project type-check must not depend on the simulator's implementation file.
// BENCH_SIMULATOR (a module URL) swaps in another implementation, to test the harness itself.
const SIMULATOR_ENTRY: string = process.env.BENCH_SIMULATOR ?? "../src/simulator/index.js";

type StartSimulator = (options?: SimulatorOptions) => Simulator | Promise<Simulator>;

let start: StartSimulator | undefined;

export async function startSimulator(options: SimulatorOptions): Promise<Simulator> {
  start ??= ((await import(SIMULATOR_ENTRY)) as { startSimulator: StartSimulator }).startSimulator;
  return await start(options);
}

export interface PreparedSimulator {
  sim: Simulator;
  /** A bearer token issued by the simulator (not counted in its stats). */
  token: string;
  /** Ids of real users, for `GET /api/v2/users/{userId}`. */
  userIds: string[];
}

/**
 * Starts a simulator without a limit, reads some user ids, then applies `rateLimit` (with or without the
 * `inin-ratelimit-*` headers) and clears the stats.
 */
export async function prepareSimulator(rateLimit: RateLimitModel | false, rateLimitHeaders = false): Promise<PreparedSimulator> {
  const sim = await startSimulator({ rateLimit: false, requireAuth: true });
  try {
    const token = sim.issueToken();
    const response = await fetch(`${sim.url}/api/v2/users?pageSize=25`, { headers: { authorization: `Bearer ${token}` } });
    const body = (await response.json()) as { entities?: { id: string }[] };
    const userIds = (body.entities ?? []).map((u) => u.id);
    if (!response.ok || userIds.length === 0) throw new Error(`simulator: GET /api/v2/users answered ${response.status} without users`);
    sim.configure({ rateLimit, rateLimitHeaders });
    sim.resetStats();
    return { sim, token, userIds };
  } catch (error) {
    await sim.close();
    throw error;
  }
}

/** True once the simulator implementation exists in this tree. */
export async function simulatorAvailable(): Promise<boolean> {
  try {
    await startSimulator({ rateLimit: false }).then((sim) => sim.close());
    return true;
  } catch {
    return false;
  }
}
