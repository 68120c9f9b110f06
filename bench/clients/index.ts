// Every client in the comparison, in table order.
import { naiveRetry } from "./naive-retry.js";
import { officialSdk } from "./official.js";
import { awsAdaptive, bottleneckPaced, seed2Fix } from "./peers.js";
import { openapiFetch } from "./openapi-fetch.js";
import { rawFetch } from "./raw-fetch.js";
import { sdkDefaults, sdkNoResilience } from "./sdk.js";
import type { BenchClient } from "./types.js";

export const ALL_CLIENTS: readonly BenchClient[] = [
  sdkDefaults,
  seed2Fix,
  bottleneckPaced,
  awsAdaptive,
  officialSdk,
  sdkNoResilience,
  openapiFetch,
  rawFetch,
  naiveRetry,
];

/** The strongest peers against a rate limit, side by side in the goodput sections. */
export const PEERS: readonly BenchClient[] = [sdkDefaults, seed2Fix, bottleneckPaced, awsAdaptive, officialSdk];

export function clientById(id: string): BenchClient {
  const client = ALL_CLIENTS.find((c) => c.id === id);
  if (!client) throw new Error(`unknown bench client "${id}" (known: ${ALL_CLIENTS.map((c) => c.id).join(", ")})`);
  return client;
}
