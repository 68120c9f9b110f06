// A CallState for tests of single stages (no HTTP): settings from the defaults, overridable.
import type { CallState } from "../../src/resilience/call-state.js";
import { resolveCall, resolveResilience } from "../../src/resilience/options.js";
import type { CallResilienceOptions, ResilienceOptions } from "../../src/resilience/types.js";

export function testCall(
  options: { client?: ResilienceOptions; call?: CallResilienceOptions; path?: string; method?: string; routeGroup?: string } = {},
): CallState {
  const settings = resolveCall(resolveResilience(options.client), options.call);
  return {
    operation: { method: options.method ?? "GET", path: options.path ?? "/api/v2/users/me" },
    routeGroup: options.routeGroup ?? "users",
    settings,
    deadlineAt: settings.totalMs ? performance.now() + settings.totalMs : Infinity,
    waitedMs: 0,
    attempt: 1,
    sent: 0,
  };
}

export const never = new AbortController().signal;
export const tick = () => new Promise((resolve) => setImmediate(resolve));
