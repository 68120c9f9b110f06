// Counters the tests read: per-route statuses, 429s, token requests, concurrency, arrivals and executions.
import type { Arrival, SimulatorStats } from "./types.js";

/** Arrivals kept; older ones are dropped in halves so a long CLI run stays bounded. */
export const MAX_ARRIVALS = 100_000;

export interface ExecutionLog {
  /** Records one execution of `path` with `body`; a same path + same canonical body seen before is a duplicate. */
  record(kind: "flows" | "actions", path: string, body: unknown): void;
}

export interface StatsRecorder {
  executions: ExecutionLog;
  /** A request arrived: counts it and returns its (mutable) arrival record. */
  arrive(method: string, route: string, isTokenRequest: boolean): Arrival;
  /** The request's answer is done (or the connection went away): `status` 0 when nothing complete was sent. */
  finish(arrival: Arrival, status: number): void;
  /** Everything but `notifications` and `jobs`, which their hub and store add. */
  snapshot(): Omit<SimulatorStats, "notifications" | "jobs">;
  reset(): void;
}

export function createStats(startedAt: number): StatsRecorder {
  let requests = 0;
  let byRoute = new Map<string, Map<string, number>>();
  let rateLimited = 0;
  let tokenRequests = 0;
  let inFlight = 0;
  let maxInFlight = 0;
  let arrivals: Arrival[] = [];
  let executions = { flows: 0, actions: 0, duplicates: 0 };
  let seen = new Set<string>();

  return {
    executions: {
      record(kind, path, body) {
        executions[kind]++;
        const key = `${path} ${canonicalJson(body)}`;
        if (seen.has(key)) executions.duplicates++;
        else seen.add(key);
      },
    },
    arrive(method, route, isTokenRequest) {
      requests++;
      if (isTokenRequest) tokenRequests++;
      inFlight++;
      maxInFlight = Math.max(maxInFlight, inFlight);
      const arrival: Arrival = { t: performance.now() - startedAt, method, route, status: 0 };
      if (arrivals.length >= MAX_ARRIVALS) arrivals = arrivals.slice(MAX_ARRIVALS / 2);
      arrivals.push(arrival);
      return arrival;
    },
    finish(arrival, status) {
      inFlight--;
      arrival.status = status;
      if (status === 429) rateLimited++;
      const key = `${arrival.method} ${arrival.route}`;
      let counts = byRoute.get(key);
      if (!counts) byRoute.set(key, (counts = new Map()));
      counts.set(String(status), (counts.get(String(status)) ?? 0) + 1);
    },
    snapshot() {
      return {
        requests,
        byRoute: Object.fromEntries([...byRoute].map(([key, counts]) => [key, Object.fromEntries(counts)])),
        rateLimited,
        tokenRequests,
        inFlight,
        maxInFlight,
        arrivals: arrivals.map((a) => ({ ...a })),
        executions: { ...executions },
      };
    },
    reset() {
      requests = 0;
      byRoute = new Map();
      rateLimited = 0;
      tokenRequests = 0;
      maxInFlight = inFlight;
      arrivals = [];
      executions = { flows: 0, actions: 0, duplicates: 0 };
      seen = new Set();
    },
  };
}

/** JSON with object keys sorted at every level, so `{a,b}` and `{b,a}` are the same execution. */
export function canonicalJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(",")}]`;
  if (value && typeof value === "object") {
    const entries = Object.keys(value)
      .sort()
      .map((k) => `${JSON.stringify(k)}:${canonicalJson((value as Record<string, unknown>)[k])}`);
    return `{${entries.join(",")}}`;
  }
  return JSON.stringify(value) ?? "null";
}
