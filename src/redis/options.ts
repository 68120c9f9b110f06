// Options of createRedisCoordinator(), with their defaults and checks.
import type { Redis } from "ioredis";
import { ConfigurationError } from "../errors.js";
import { checkNumber, MS_ABOVE_0, show } from "../validate.js";

export interface RedisCoordinatorOptions {
  /**
   * Where Redis is: `redis://[[user]:password@]host[:port][/db]`, or `rediss://` for TLS. Either this or `client`.
   * @default undefined
   */
  url?: string;
  /**
   * An ioredis client you already have (5.x or 6.x). The coordinator uses it for its steps (and a `duplicate()` of
   * it for pub/sub), and leaves it open on `close()`. Its own timeouts apply besides `stepTimeoutMs`.
   * @default undefined
   */
  client?: Redis;
  /**
   * Prefix of every key and channel, e.g. one per environment or per Genesys org.
   * @default "gc:"
   */
  keyPrefix?: string;
  /**
   * The longest any one Redis step may take; a slower or failed step makes the clients go on alone (local limiter
   * and token) until Redis answers again. Loopback Redis answers in well under a millisecond.
   * @default 100
   */
  stepTimeoutMs?: number;
  /**
   * How long the first steps wait for the first connection (a client created before Redis answered); past it the
   * clients start alone and join once Redis answers.
   * @default 1_000
   */
  connectTimeoutMs?: number;
  /**
   * While Redis is down, how often it is looked for again (a PING); the first answer makes the clients share again.
   * @default 500
   */
  probeMs?: number;
}

export interface ResolvedRedisOptions {
  url: string | undefined;
  client: Redis | undefined;
  keyPrefix: string;
  stepTimeoutMs: number;
  probeMs: number;
  connectTimeoutMs: number;
}

export function checkOptions(options: RedisCoordinatorOptions): ResolvedRedisOptions {
  if (!options || typeof options !== "object") throw new ConfigurationError(`createRedisCoordinator needs { url } or { client } (got ${show(options)})`);
  const { url, client, keyPrefix = "gc:", stepTimeoutMs = 100, probeMs = 500, connectTimeoutMs = 1_000 } = options;
  if ((url === undefined) === (client === undefined)) throw new ConfigurationError("createRedisCoordinator needs exactly one of url and client");
  if (url !== undefined && (typeof url !== "string" || !/^rediss?:\/\/./.test(url))) {
    // Not quoted: a Redis URL may hold a password.
    throw new ConfigurationError("createRedisCoordinator url must be a redis:// or rediss:// URL");
  }
  if (client !== undefined) {
    const c = client as unknown as Record<string, unknown>;
    if (!c || typeof c !== "object" || !["evalsha", "eval", "ping", "duplicate", "on"].every((m) => typeof c[m] === "function")) {
      throw new ConfigurationError("createRedisCoordinator client must be an ioredis client (new Redis(...) from the ioredis package)");
    }
  }
  if (typeof keyPrefix !== "string") throw new ConfigurationError(`createRedisCoordinator keyPrefix must be a string (got ${show(keyPrefix)})`);
  checkNumber("createRedisCoordinator stepTimeoutMs", stepTimeoutMs, MS_ABOVE_0);
  checkNumber("createRedisCoordinator probeMs", probeMs, MS_ABOVE_0);
  checkNumber("createRedisCoordinator connectTimeoutMs", connectTimeoutMs, MS_ABOVE_0);
  return { url, client, keyPrefix, stepTimeoutMs, probeMs, connectTimeoutMs };
}
