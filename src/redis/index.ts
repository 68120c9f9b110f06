// genesys-cloud-sdk/redis: fleets of processes sharing one Genesys quota through Redis (Node only; needs ioredis).
//   import { createRedisCoordinator } from "genesys-cloud-sdk/redis";
//   createGenesysClient({ auth, coordinator: createRedisCoordinator({ url: "redis://127.0.0.1:6379" }) });
export { createRedisCoordinator } from "./coordinator.js";
export type { RedisCoordinator } from "./coordinator.js";
export type { RedisCoordinatorOptions } from "./options.js";
