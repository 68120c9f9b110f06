// Fault rules: which rule (if any) applies to a request. Windows are relative to when the rules were installed;
// probability draws come from the simulator's seeded generator, so a seed replays the same storm.
import type { Random } from "./random.js";
import type { FaultRule } from "./types.js";

export interface FaultTable {
  /** The first rule that applies to this request (and counts it), or undefined. */
  pick(request: { method: string; route: string; path: string }, nowMs: number): FaultRule | undefined;
}

export function createFaultTable(rules: readonly FaultRule[], random: Random, installedAtMs: number): FaultTable {
  const entries = rules.map((rule) => ({ rule, matches: routeMatcher(rule.route), fired: 0 }));
  return {
    pick({ method, route, path }, now) {
      const elapsed = now - installedAtMs;
      for (const entry of entries) {
        const { rule } = entry;
        if (rule.method && rule.method.toUpperCase() !== method) continue;
        if (!entry.matches(route, path)) continue;
        if (rule.window && (elapsed < (rule.window.startMs ?? 0) || elapsed >= (rule.window.endMs ?? Infinity))) continue;
        if (rule.count !== undefined && entry.fired >= rule.count) continue;
        // Draw only when the rule could apply, so unrelated traffic does not shift the seeded sequence of a route.
        if (rule.probability !== undefined && rule.probability < 1 && !(random.next() < rule.probability)) continue;
        entry.fired++;
        return rule;
      }
      return undefined;
    },
  };
}

/** `*` matches any characters; a pattern is tested against both the route template and the concrete path. */
export function routeMatcher(pattern: string | undefined): (route: string, path: string) => boolean {
  if (pattern === undefined) return (_route, path) => path.startsWith("/api/v2/");
  const source = pattern.split("*").map(escapeRegExp).join(".*");
  const re = new RegExp(`^${source}$`);
  return (route, path) => re.test(route) || re.test(path);
}

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
}
