// A client's handle on its call stack (call-stack.ts: openapi-fetch, the transport, the resilience pipeline). The
// stack is loaded with import() on the first call, once, so that creating a client ships and runs only what checks
// its options; the first call waits for it (in parallel with the first token, also loaded on first use).
import type { Middleware } from "openapi-fetch";
import { ConfigurationError } from "../errors.js";
import type { ResilienceStats } from "../resilience/types.js";
import type { CallStack, CallStackConfig } from "./call-stack.js";

/** The stack's own calls, usable before it is loaded. */
export interface DeferredStack extends Pick<CallStack, "request" | "transport" | "use" | "eject"> {
  stats(): ResilienceStats;
  /** Starts loading now (a client with a coordinator: its limiter hears the fleet before the first call). */
  preload(): void;
}

export function deferStack(config: Omit<CallStackConfig, "middleware">): DeferredStack {
  const middleware: Middleware[] = [];
  let stack: CallStack | undefined;
  let loading: Promise<CallStack> | undefined;
  const load = () =>
    (loading ??= import("./call-stack.js").then(
      ({ createCallStack }) => (stack = createCallStack({ ...config, middleware })),
      (error: unknown) => {
        loading = undefined; // a chunk that failed to load is tried again by the next call
        throw error;
      },
    ));

  return {
    // Once loaded (every call but the first ones), straight through: no extra async frame per call.
    request: (operation, init, resilience, fetch) =>
      stack ? stack.request(operation, init, resilience, fetch) : load().then((s) => s.request(operation, init, resilience, fetch)),
    transport: { send: (request, options) => (stack ? stack.transport.send(request, options) : load().then((s) => s.transport.send(request, options))) },
    use(...added) {
      for (const m of added) if (m && (typeof m !== "object" || !("onRequest" in m || "onResponse" in m || "onError" in m))) throw badMiddleware();
      if (stack) stack.use(...added);
      else middleware.push(...added.filter(Boolean));
    },
    eject(...removed) {
      if (stack) stack.eject(...removed);
      else
        for (const m of removed) {
          const i = middleware.indexOf(m);
          if (i !== -1) middleware.splice(i, 1);
        }
    },
    stats: () => stack?.pipeline.stats() ?? idleStats(),
    preload: () => void load().catch(() => {}), // its error, if any, is the first call's
  };
}

/** A client that has not called yet: what its pipeline reports before its first call. */
function idleStats(): ResilienceStats {
  return { inFlight: 0, queued: 0, held: 0, retries: 0, rateLimited: 0, breakers: {}, pace: undefined, pausedUntil: undefined, rateLimits: [] };
}

const badMiddleware = () => new ConfigurationError("gc.use(): a middleware must be an object with onRequest(), onResponse() or onError().");
