// Hostile servers and careless inputs, over real loopback HTTP: every call ends with one of the SDK's typed
// errors, nothing is sent to a route a parameter moved it to, and no token appears in an error.
import type { ServerResponse } from "node:http";
import { afterEach, describe, expect, it } from "vitest";
import {
  AbortedError,
  AuthError,
  ConfigurationError,
  createGenesysClient,
  InvalidPathParameterError,
  InvalidResponseError,
  NetworkError,
  RetryBudgetExceededError,
  TimeoutError,
} from "../../src/index.js";
import { json, startTinyServer, type RecordedRequest } from "../support/tiny-server.js";

type Handler = (req: RecordedRequest, res: ServerResponse) => void;
let servers: { close(): Promise<void> }[] = [];
afterEach(async () => {
  await Promise.all(servers.map((s) => s.close()));
  servers = [];
});
async function serve(handler: Handler) {
  const server = await startTinyServer(handler);
  servers.push(server);
  return server;
}
const ok: Handler = (req, res) => json(res, 200, { id: "u1", name: "Ann", echo: req.body });
const caught = (p: Promise<unknown>) =>
  p.then(
    () => undefined,
    (e: unknown) => e,
  );

describe("path parameters cannot move a request", () => {
  it('refuses "..", "." and "" (and a missing one) with InvalidPathParameterError before anything is sent', async () => {
    const server = await serve(ok);
    const gc = createGenesysClient({ baseUrl: server.url, auth: { accessToken: "t0k3n" } });
    const path = "/api/v2/flows/datatables/{datatableId}/rows/{rowId}" as const;
    for (const rowId of ["..", ".", ""]) {
      const error = await caught(gc.DELETE(path, { params: { path: { datatableId: "DT1", rowId } } }));
      expect(error).toBeInstanceOf(InvalidPathParameterError);
      expect(error).toBeInstanceOf(ConfigurationError);
      expect(error).toMatchObject({ parameter: "rowId", operation: { method: "DELETE", path } });
    }
    const missing = await caught(gc.DELETE(path, { params: { path: { datatableId: "DT1" } } } as never));
    expect(missing).toMatchObject({ name: "InvalidPathParameterError", parameter: "rowId" });
    expect(server.requests).toHaveLength(0);
    // Anything else stays one segment.
    await gc.DELETE(path, { params: { path: { datatableId: "DT1", rowId: "../x/.." } } });
    expect(server.requests.map((r) => r.url)).toEqual(["/api/v2/flows/datatables/DT1/rows/..%2Fx%2F.."]);
  });
});

describe("a token function that never settles", () => {
  it("does not hang calls: the signal, the deadline and auth.timeoutMs each end the wait, and the next call asks again", async () => {
    const server = await serve(ok);
    let asked = 0;
    const accessToken = () => (asked++, new Promise<string>(() => undefined));
    const gc = createGenesysClient({ baseUrl: server.url, auth: { accessToken, timeoutMs: 300 } });
    const controller = new AbortController();
    const aborted = caught(gc.GET("/api/v2/users/me", { signal: controller.signal }));
    controller.abort();
    expect(await aborted).toBeInstanceOf(AbortedError);
    expect(await caught(gc.GET("/api/v2/users/me", { resilience: { deadlineMs: 100 } }))).toMatchObject({ name: "TimeoutError", scope: "total" });
    const timedOut = await caught(gc.GET("/api/v2/users/me"));
    expect(timedOut).toBeInstanceOf(AuthError);
    expect((timedOut as Error).message).toMatch(/did not return a token within 300 ms/);
    await caught(gc.GET("/api/v2/users/me"));
    expect(asked).toBe(2); // one pending call shared, then asked again after it was given up
    expect(server.requests).toHaveLength(0);
  });
});

describe("a failing token endpoint is not hammered", () => {
  it("1,000 concurrent calls against a login that answers 500: one flight of attempts, all fail with one AuthError", async () => {
    let tokenRequests = 0;
    const server = await serve((req, res) => {
      if (req.url === "/oauth/token") return void (tokenRequests++, json(res, 500, { error: "server_error" }));
      ok(req, res);
    });
    const gc = createGenesysClient({ baseUrl: server.url, auth: { clientId: "c", clientSecret: "s", tokenRequest: { baseDelayMs: 5 } } });
    const outcomes = await Promise.allSettled(Array.from({ length: 1_000 }, () => gc.GET("/api/v2/users/me")));
    const reasons = new Set(outcomes.map((o) => (o as PromiseRejectedResult).reason));
    expect(outcomes.every((o) => o.status === "rejected")).toBe(true);
    expect(reasons.size).toBe(1);
    expect([...reasons][0]).toBeInstanceOf(AuthError);
    expect(tokenRequests).toBe(3); // maxAttempts of the one shared request
    expect(server.requests.filter((r) => r.url.startsWith("/api/"))).toHaveLength(0);
  });

  it("a 429's Retry-After on the token endpoint holds every new token request back for that long", async () => {
    let tokenRequests = 0;
    const server = await serve((req, res) => {
      if (req.url === "/oauth/token") return void (tokenRequests++, json(res, 429, { error: "rate_limited" }, { "retry-after": "30" }));
      ok(req, res);
    });
    const gc = createGenesysClient({ baseUrl: server.url, auth: { clientId: "c", clientSecret: "s", tokenRequest: { maxAttempts: 1 } } });
    const first = await caught(gc.GET("/api/v2/users/me"));
    expect(first).toMatchObject({ name: "AuthError", status: 429, retryAfter: 30 });
    for (let i = 0; i < 5; i++) expect(await caught(gc.GET("/api/v2/users/me"))).toBe(first);
    expect(tokenRequests).toBe(1);
  });
});

describe("bodies survive redirects and retries", () => {
  it("a POST with a body follows a 307 to the same origin and the body arrives whole", async () => {
    const server = await serve((req, res) => {
      if (req.url === "/api/v2/flows/executions") return void (res.writeHead(307, { location: "/api/v2/flows/executions?moved=1" }), res.end());
      json(res, 200, { id: "e1", name: req.body });
    });
    const gc = createGenesysClient({ baseUrl: server.url, auth: { accessToken: "t0k3n" } });
    const body = { flowId: "f1", inputData: { a: "1" } };
    const { data, error } = await gc.POST("/api/v2/flows/executions", { body });
    expect(error).toBeUndefined();
    expect(JSON.parse(data!.name!)).toEqual(body);
    expect(server.requests.map((r) => [r.url, r.body])).toEqual([
      ["/api/v2/flows/executions", JSON.stringify(body)],
      ["/api/v2/flows/executions?moved=1", JSON.stringify(body)],
    ]);
  });
});

describe("deterministic errors are not retried, and never quote the token", () => {
  it("an invalid header value is a ConfigurationError at once: not retried, not counted by a circuit, not quoted", async () => {
    const server = await serve(ok);
    const gc = createGenesysClient({ baseUrl: server.url, auth: { accessToken: "t0k3n" }, headers: { "x-note": "secret\r\nvalue" } });
    const error = await caught(gc.GET("/api/v2/users/me"));
    expect(error).toBeInstanceOf(ConfigurationError);
    expect(JSON.stringify(error) + String((error as Error).cause)).not.toMatch(/secret/);
    expect(gc.stats().retries).toBe(0);
    expect(server.requests).toHaveLength(0);
    expect(() => createGenesysClient({ baseUrl: server.url, fetch: "fetch" as never })).toThrow(/fetch must be a function/);
  });

  it("a token with CR/LF is refused before any request, and the error does not contain it", async () => {
    const server = await serve(ok);
    const token = "abc.DEF-sekret\r\nX-Evil: 1";
    const gc = createGenesysClient({ baseUrl: server.url, auth: { accessToken: token } });
    const error = await caught(gc.GET("/api/v2/users/me"));
    expect(error).toBeInstanceOf(AuthError);
    const text = [String(error), JSON.stringify(error), (error as Error).stack, String((error as Error).cause)].join(" ");
    expect(text).not.toContain("sekret");
    expect(server.requests).toHaveLength(0);
  });
});

describe("answers that are not what they claim end typed", () => {
  it("a 200 with malformed JSON: InvalidResponseError with status, correlation id and operation", async () => {
    const server = await serve((_req, res) => {
      res.writeHead(200, { "content-type": "application/json", "inin-correlation-id": "corr-1" });
      res.end('{"id": "u1", "na');
    });
    const gc = createGenesysClient({ baseUrl: server.url });
    const error = await caught(gc.GET("/api/v2/users/me"));
    expect(error).toBeInstanceOf(InvalidResponseError);
    expect(error).toMatchObject({ status: 200, correlationId: "corr-1", operation: { method: "GET", path: "/api/v2/users/me" } });
  });

  it("a body that stalls after the headers: the attempt timeout and the deadline cover the body", async () => {
    const server = await serve((_req, res) => {
      res.writeHead(200, { "content-type": "application/json", "content-length": "100" });
      res.write('{"id":');
    });
    const gc = createGenesysClient({ baseUrl: server.url, resilience: { retry: false } });
    expect(await caught(gc.GET("/api/v2/users/me", { resilience: { timeoutMs: 200 } }))).toMatchObject({ name: "TimeoutError", scope: "attempt" });
    expect(await caught(gc.GET("/api/v2/users/me", { resilience: { deadlineMs: 200 } }))).toBeInstanceOf(TimeoutError);
  });

  it("a reset mid-body is a NetworkError (retried for a GET), and an abort during the body an AbortedError", async () => {
    const server = await serve((req, res) => {
      res.writeHead(200, { "content-type": "application/json", "content-length": "100" });
      if (req.url.includes("reset")) res.write('{"id":', () => res.destroy());
      else res.write('{"id":');
    });
    const gc = createGenesysClient({ baseUrl: server.url, resilience: { retry: { baseDelayMs: 1, maxDelayMs: 2, maxAttempts: 2 } } });
    const once = await caught(gc.GET("/api/v2/users/{userId}", { params: { path: { userId: "reset" } }, resilience: { retry: false } }));
    expect(once).toBeInstanceOf(NetworkError);
    expect(once).toMatchObject({ code: "UND_ERR_SOCKET", mayHaveBeenProcessed: true, operation: { path: "/api/v2/users/{userId}" } });
    const retried = await caught(gc.GET("/api/v2/users/{userId}", { params: { path: { userId: "reset" } } }));
    expect(retried).toBeInstanceOf(RetryBudgetExceededError);
    expect((retried as Error).cause).toBeInstanceOf(NetworkError);
    const controller = new AbortController();
    const stalled = caught(gc.GET("/api/v2/users/me", { signal: controller.signal }));
    while (server.requests.filter((r) => r.url === "/api/v2/users/me").length === 0) await new Promise((r) => setTimeout(r, 5));
    controller.abort();
    expect(await stalled).toBeInstanceOf(AbortedError);
  });
});

describe("origins", () => {
  it("refuses a baseUrl or loginUrl with a query or fragment; keeps a loginUrl's path", async () => {
    for (const option of ["baseUrl", "loginUrl"] as const) {
      for (const url of ["http://127.0.0.1:1/x?a=1", "http://127.0.0.1:1/#frag", "http://127.0.0.1:1?"]) {
        expect(() => createGenesysClient({ [option]: url })).toThrow(ConfigurationError);
        expect(() => createGenesysClient({ [option]: url })).toThrow(/must not contain a query \(\?\) or fragment \(#\)/);
      }
    }
    const server = await serve((req, res) => {
      if (req.url === "/login/base/oauth/token") return json(res, 200, { access_token: "tok", expires_in: 3600 });
      ok(req, res);
    });
    const gc = createGenesysClient({ baseUrl: server.url, loginUrl: `${server.url}/login/base/`, auth: { clientId: "c", clientSecret: "s" } });
    expect((await gc.GET("/api/v2/users/me")).response.status).toBe(200);
    expect(server.requests.map((r) => r.url)).toEqual(["/login/base/oauth/token", "/api/v2/users/me"]);
  });
});
