// The fleet's access token through a real redis-server: several clients, each with its own coordinator (its own
// Redis connections, as separate processes have), against a loopback token endpoint that numbers its tokens and
// rejects the ones a test revoked.
import { Redis } from "ioredis";
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { ConfigurationError, createGenesysClient, type GenesysClient } from "../../src/index.js";
import { createRedisCoordinator, type RedisCoordinator } from "../../src/redis/index.js";
import { startRedisServer, type RedisServer } from "../support/redis-server.js";
import { json, startTinyServer } from "../support/tiny-server.js";

const auth = { clientId: "fleet-client-id", clientSecret: "fleet-secret-value" };
let issued = 0;
let lifetimeSeconds = 3600;
const revoked = new Set<string>();
let server: Awaited<ReturnType<typeof startTinyServer>>;
let redis: RedisServer;
let coordinators: RedisCoordinator[] = [];
let prefix = "";
let run = 0;

beforeAll(async () => {
  redis = await startRedisServer();
  server = await startTinyServer((req, res) => {
    if (req.url === "/oauth/token") return json(res, 200, { access_token: `tok-${++issued}`, token_type: "bearer", expires_in: lifetimeSeconds });
    const token = req.headers.authorization?.replace(/^Bearer /, "") ?? "";
    if (!token || revoked.has(token)) return json(res, 401, { code: "bad.credentials", status: 401, message: "Invalid login credentials." });
    json(res, 200, { id: "me", token });
  });
});
afterAll(async () => {
  await server.close();
  await redis.stop();
});
beforeEach(() => {
  issued = 0;
  lifetimeSeconds = 3600;
  revoked.clear();
  server.requests.length = 0;
  prefix = `t${++run}:`;
});
afterEach(async () => {
  await Promise.all(coordinators.map((c) => c.close()));
  coordinators = [];
});

const tokenRequests = () => server.requests.filter((r) => r.url === "/oauth/token").length;
const tokenOf = async (gc: GenesysClient) => ((await gc.GET("/api/v2/users/me")).data as { token?: string } | undefined)?.token;

/**
 * A member of the fleet: its own coordinator (own connections), like a separate process. Generous step timeouts:
 * these tests are about sharing, and a loaded machine must not make a member go alone (outage.test.ts does that).
 */
function member(): GenesysClient {
  const coordinator = createRedisCoordinator({ url: redis.url, keyPrefix: prefix, stepTimeoutMs: 2_000 });
  coordinators.push(coordinator);
  return createGenesysClient({ baseUrl: server.url, auth, coordinator, resilience: { rateLimit: false } });
}

describe("the fleet's token through Redis", () => {
  it("three members with 20 calls each at once: one token request for the fleet", async () => {
    const fleet = [member(), member(), member()];
    const tokens = await Promise.all(fleet.flatMap((gc) => Array.from({ length: 20 }, () => tokenOf(gc))));
    expect(tokens).toEqual(Array(60).fill("tok-1"));
    expect(tokenRequests()).toBe(1);
    // A member that joins later takes the stored token.
    expect(await tokenOf(member())).toBe("tok-1");
    expect(tokenRequests()).toBe(1);
  });

  it("stores the token with its lifetime as TTL, under keys that name neither the client id nor the secret", async () => {
    await tokenOf(member());
    const raw = new Redis(redis.url);
    try {
      const keys = await raw.keys(`${prefix}*`);
      expect(keys.length).toBeGreaterThan(0);
      const tokenKey = keys.find((k) => k.endsWith(":token"))!;
      expect(tokenKey).toMatch(/^t\d+:\{[0-9a-f]{16}\}:token$/);
      const ttl = await raw.pttl(tokenKey);
      expect(ttl).toBeGreaterThan(3_500_000);
      expect(ttl).toBeLessThanOrEqual(3_600_000);
      for (const key of keys) {
        const value = (await raw.type(key)) === "string" ? await raw.get(key) : JSON.stringify(await raw.hgetall(key));
        for (const text of [key, value ?? ""]) {
          expect(text).not.toContain(auth.clientSecret);
          expect(text).not.toContain(auth.clientId);
        }
      }
    } finally {
      raw.disconnect();
    }
  });

  it("a 401 met by two members at once invalidates the token once: one renewal for the fleet", async () => {
    const [a, b] = [member(), member()];
    expect([await tokenOf(a), await tokenOf(b)]).toEqual(["tok-1", "tok-1"]);
    revoked.add("tok-1");
    const tokens = await Promise.all([a, b].flatMap((gc) => Array.from({ length: 10 }, () => tokenOf(gc))));
    expect(tokens).toEqual(Array(20).fill("tok-2"));
    expect(tokenRequests()).toBe(2);
  });

  it("after one member's 401 the others drop the rejected token before using it again", async () => {
    const [a, b, c] = [member(), member(), member()];
    for (const gc of [a, b, c]) expect(await tokenOf(gc)).toBe("tok-1");
    revoked.add("tok-1");
    expect(await tokenOf(a)).toBe("tok-2"); // a's 401, one renewal, a replay
    const before = server.requests.length;
    expect([await tokenOf(b), await tokenOf(c)]).toEqual(["tok-2", "tok-2"]);
    // b and c sent tok-2 at once: no 401 of their own, no token request.
    const later = server.requests.slice(before);
    expect(later.map((r) => r.headers.authorization)).toEqual(["Bearer tok-2", "Bearer tok-2"]);
    expect(tokenRequests()).toBe(2);
  });

  it("renews before expiry once for the fleet, while every member keeps calling", async () => {
    lifetimeSeconds = 4; // refresh window: the last 2 s (half the lifetime)
    const [a, b] = [member(), member()];
    expect([await tokenOf(a), await tokenOf(b)]).toEqual(["tok-1", "tok-1"]);
    await new Promise((r) => setTimeout(r, 2_300));
    // In the window: both still get tok-1 at once while one renewal runs for the fleet.
    await Promise.all([tokenOf(a), tokenOf(b)]);
    const fresh = async (gc: GenesysClient) => {
      for (;;) {
        const t = await tokenOf(gc);
        if (t !== "tok-1") return t;
        await new Promise((r) => setTimeout(r, 50));
      }
    };
    expect(await Promise.all([fresh(a), fresh(b)])).toEqual(["tok-2", "tok-2"]);
    expect(tokenRequests()).toBe(2);
  });

  it("refuses bad options with ConfigurationError, without quoting a URL that may hold a password", () => {
    expect(() => createRedisCoordinator({} as never)).toThrow(ConfigurationError);
    expect(() => createRedisCoordinator({ url: "http://user:pw@host" })).toThrow(/redis:\/\/ or rediss:\/\//);
    expect(() => createRedisCoordinator({ url: "http://user:pw@host" })).not.toThrow(/pw/);
    expect(() => createRedisCoordinator({ client: {} as never })).toThrow(/ioredis client/);
    expect(() => createRedisCoordinator({ url: redis.url, stepTimeoutMs: 0 })).toThrow(/stepTimeoutMs/);
    expect(() => createGenesysClient({ baseUrl: server.url, coordinator: {} as never })).toThrow(ConfigurationError);
  });

  it("accepts an ioredis client you already have, and leaves it open on close()", async () => {
    const mine = new Redis(redis.url);
    try {
      const coordinator = createRedisCoordinator({ client: mine, keyPrefix: prefix, stepTimeoutMs: 2_000 });
      const gc = createGenesysClient({ baseUrl: server.url, auth, coordinator, resilience: { rateLimit: false } });
      expect(await tokenOf(gc)).toBe("tok-1");
      expect(await tokenOf(member())).toBe("tok-1");
      expect(tokenRequests()).toBe(1);
      await coordinator.close();
      expect(await mine.ping()).toBe("PONG");
    } finally {
      mine.disconnect();
    }
  });
});
