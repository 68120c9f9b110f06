// `genesys-cloud-sdk/simulator`: a Genesys-like server on loopback for testing integrations (Node only).
export { startSimulator } from "./server.js";
/** Thrown for bad options (also exported here so `instanceof` works within this entry point). */
export { ConfigurationError } from "../errors.js";
export type {
  Arrival,
  FaultKind,
  FaultRule,
  FixedWindowLimit,
  NotificationSimOptions,
  NotificationSimStats,
  SimConnection,
  SocketCloseCause,
  RateLimitModel,
  Simulator,
  SimulatorClient,
  SimulatorOptions,
  SimulatorStats,
  SimJobOptions,
  SimJobRecord,
  TokenBucketLimit,
} from "./types.js";
