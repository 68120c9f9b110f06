// 401 handling with exact control: a loopback server that issues numbered tokens and rejects the ones it revoked.
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { createGenesysClient } from "../../src/index.js";
import { json, startTinyServer } from "../support/tiny-server.js";

let issued = 0;
const revoked = new Set<string>();
let server: Awaited<ReturnType<typeof startTinyServer>>;
beforeAll(async () => {
  server = await startTinyServer((req, res) => {
    if (req.url === "/oauth/token") return json(res, 200, { access_token: `tok-${++issued}`, token_type: "bearer", expires_in: 3600 });
    const token = req.headers.authorization?.replace(/^Bearer /, "") ?? "";
    if (!token || revoked.has(token) || req.url === "/api/v2/users/always-401")
      return json(res, 401, { code: "bad.credentials", status: 401, message: "Invalid login credentials." });
    json(res, 200, { id: "me", token });
  });
});
afterAll(() => server.close());
beforeEach(() => {
  issued = 0;
  revoked.clear();
  server.requests.length = 0;
});

const tokenRequests = () => server.requests.filter((r) => r.url === "/oauth/token").length;
const auth = { clientId: "id", clientSecret: "secret" };

describe("401 → renew once → replay", () => {
  it("concurrent 401s for the same stale token cause one renewal; every call is replayed once", async () => {
    const gc = createGenesysClient({ baseUrl: server.url, auth, resilience: false });
    expect((await gc.GET("/api/v2/users/me")).data).toMatchObject({ token: "tok-1" });
    revoked.add("tok-1");
    const results = await Promise.all(Array.from({ length: 50 }, () => gc.GET("/api/v2/users/me")));
    expect(results.map((r) => (r.data as { token?: string } | undefined)?.token)).toEqual(Array(50).fill("tok-2"));
    expect(tokenRequests()).toBe(2);
    const apiCalls = server.requests.filter((r) => r.url === "/api/v2/users/me");
    expect(apiCalls.filter((r) => r.headers.authorization === "Bearer tok-1")).toHaveLength(51);
    expect(apiCalls.filter((r) => r.headers.authorization === "Bearer tok-2")).toHaveLength(50);
  });

  it("a second 401 goes back to the caller (no loop)", async () => {
    const gc = createGenesysClient({ baseUrl: server.url, auth, resilience: false });
    const { error, response } = await gc.GET("/api/v2/users/{userId}", { params: { path: { userId: "always-401" } } });
    expect(response.status).toBe(401);
    expect(error).toMatchObject({ status: 401, code: "bad.credentials" });
    expect(server.requests.filter((r) => r.url === "/api/v2/users/always-401")).toHaveLength(2);
    expect(tokenRequests()).toBe(2);
  });

  it("a fixed access token is not renewed: the 401 goes straight to the caller", async () => {
    const gc = createGenesysClient({ baseUrl: server.url, auth: { accessToken: "fixed" }, resilience: false });
    revoked.add("fixed");
    const { error } = await gc.GET("/api/v2/users/me");
    expect(error?.status).toBe(401);
    expect(server.requests).toHaveLength(1);
  });

  it("a token function is asked again after a 401, and the call replayed", async () => {
    let calls = 0;
    const gc = createGenesysClient({ baseUrl: server.url, auth: { accessToken: async () => `fn-${++calls}` }, resilience: false });
    revoked.add("fn-1");
    const { data } = await gc.GET("/api/v2/users/me");
    expect(data).toMatchObject({ token: "fn-2" });
    expect(server.requests.map((r) => r.headers.authorization)).toEqual(["Bearer fn-1", "Bearer fn-2"]);
  });
});
