// `{ accessToken }`: a string or a function, over real HTTP.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { AuthError, ConfigurationError, createGenesysClient } from "../../src/index.js";
import { json, startTinyServer } from "../support/tiny-server.js";

let server: Awaited<ReturnType<typeof startTinyServer>>;
beforeAll(async () => {
  server = await startTinyServer((req, res) => json(res, 200, { authorization: req.headers.authorization ?? null }));
});
afterAll(() => server.close());

describe("access token auth", () => {
  it("sends a fixed token", async () => {
    const gc = createGenesysClient({ baseUrl: server.url, auth: { accessToken: "abc" } });
    expect((await gc.GET("/api/v2/users/me")).data).toEqual({ authorization: "Bearer abc" });
  });

  it("calls a token function per request; concurrent requests share one pending call", async () => {
    let calls = 0;
    const gc = createGenesysClient({
      baseUrl: server.url,
      auth: { accessToken: () => new Promise<string>((resolve) => setTimeout(() => resolve(`t${++calls}`), 20)) },
      resilience: false, // all 10 reach auth at once (no bulkhead queue or pacing in between)
    });
    const results = await Promise.all(Array.from({ length: 10 }, () => gc.GET("/api/v2/users/me")));
    expect(calls).toBe(1);
    expect(new Set(results.map((r) => (r.data as unknown as { authorization: string }).authorization))).toEqual(new Set(["Bearer t1"]));
    await gc.GET("/api/v2/users/me");
    expect(calls).toBe(2);
  });

  it("a throwing or empty token function fails the call with an AuthError", async () => {
    const throwing = createGenesysClient({ baseUrl: server.url, auth: { accessToken: () => Promise.reject(new RangeError("vault down")) } });
    const error = await throwing.GET("/api/v2/users/me").catch((e: unknown) => e);
    expect(error).toBeInstanceOf(AuthError);
    expect(String(error)).toMatch(/auth\.accessToken function threw \(RangeError\)/);
    expect((error as AuthError).cause).toBeInstanceOf(RangeError);
    const empty = createGenesysClient({ baseUrl: server.url, auth: { accessToken: () => "" } });
    await expect(empty.GET("/api/v2/users/me")).rejects.toThrow(/returned an empty string/);
  });

  it("refuses bad auth options before any request", () => {
    const count = server.requests.length;
    expect(() => createGenesysClient({ baseUrl: server.url, auth: { accessToken: "" } })).toThrow(ConfigurationError);
    expect(() => createGenesysClient({ baseUrl: server.url, auth: { clientId: "", clientSecret: "x" } })).toThrow(/auth\.clientId/);
    expect(() => createGenesysClient({ baseUrl: server.url, auth: { clientId: "id", clientSecret: "" } })).toThrow(/auth\.clientSecret/);
    expect(() => createGenesysClient({ baseUrl: server.url, auth: { clientId: "id", clientSecret: "s", refreshSkewMs: -1 } })).toThrow(/refreshSkewMs/);
    expect(() => createGenesysClient({ baseUrl: server.url, auth: { clientId: "id", clientSecret: "s", tokenRequest: { maxAttempts: 0 } } })).toThrow(
      /maxAttempts/,
    );
    expect(() => createGenesysClient({ baseUrl: server.url, auth: {} as { accessToken: string } })).toThrow(/clientId, clientSecret/);
    expect(server.requests.length).toBe(count);
  });
});
