// The resilience pipeline of a client (pipeline.ts) and its defaults.
export { createPipeline } from "./pipeline.js";
export type { AttemptContext, CallContext, Pipeline, Send } from "./pipeline.js";
export { DEFAULT_BREAKER, DEFAULT_BULKHEAD, DEFAULT_RATE_LIMIT, DEFAULT_RETRY, DEFAULT_TIMEOUT, defaultRouteGroup } from "./defaults.js";
