// The bearer token goes only to the configured API origin: never to another port, host, or redirect target.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createGenesysClient } from "../../src/index.js";
import { json, startTinyServer } from "../support/tiny-server.js";

let api: Awaited<ReturnType<typeof startTinyServer>>;
let other: Awaited<ReturnType<typeof startTinyServer>>;
beforeAll(async () => {
  other = await startTinyServer((_req, res) => json(res, 200, { other: true }));
  api = await startTinyServer((req, res) => {
    if (req.url === "/api/v2/users/redirect-me") {
      res.writeHead(302, { location: `${other.url}/api/v2/users/me` });
      return void res.end();
    }
    json(res, 200, { api: true });
  });
});
afterAll(async () => {
  await Promise.all([api.close(), other.close()]);
});

describe("bearer token scope", () => {
  it("is sent to the API origin only — not to another loopback port through the same transport", async () => {
    const gc = createGenesysClient({ baseUrl: api.url, auth: { accessToken: "tok-secret" } });
    await gc.GET("/api/v2/users/me");
    expect(api.requests.at(-1)!.headers.authorization).toBe("Bearer tok-secret");
    const response = await gc.transport.send(new Request(`${other.url}/api/v2/users/me`), { path: "/api/v2/users/me" });
    expect(response.status).toBe(200);
    expect(other.requests).toHaveLength(1);
    expect(other.requests[0].headers.authorization).toBeUndefined();
  });

  it("is dropped when the API redirects to another origin", async () => {
    const before = other.requests.length;
    const gc = createGenesysClient({ baseUrl: api.url, auth: { accessToken: "tok-secret" } });
    const { data } = await gc.GET("/api/v2/users/{userId}", { params: { path: { userId: "redirect-me" } } });
    expect(data).toEqual({ other: true }); // the redirect was followed…
    expect(api.requests.at(-1)!.headers.authorization).toBe("Bearer tok-secret");
    const redirected = other.requests.slice(before);
    expect(redirected).toHaveLength(1);
    expect(redirected[0].headers.authorization).toBeUndefined(); // …without the token
  });
});
