// The client over real HTTP on loopback: typed paths, URL building, bodies, errors, middleware.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ConfigurationError, createGenesysClient, GenesysApiError, unwrap, UnknownRegionError } from "../../src/index.js";
import { json, startTinyServer } from "../support/tiny-server.js";

let server: Awaited<ReturnType<typeof startTinyServer>>;
beforeAll(async () => {
  server = await startTinyServer((req, res) => {
    if (req.url.startsWith("/api/v2/users/u-1"))
      return json(res, 200, { id: "u-1", name: "Ada", selfUri: "/api/v2/users/u-1" }, { "ININ-Correlation-Id": "c-1" });
    if (req.url === "/api/v2/flows/executions") return json(res, 200, { id: "exec-1", name: JSON.parse(req.body).flowId });
    if (req.url.startsWith("/api/v2/routing/queues")) {
      return json(
        res,
        403,
        {
          message: "You are missing the following permission(s): routing:queue:view",
          code: "missing.permissions",
          status: 403,
          contextId: "ctx-9",
          details: [],
          errors: [],
        },
        { "ININ-Correlation-Id": "c-9" },
      );
    }
    json(res, 404, { message: "not found", code: "not.found", status: 404 });
  });
});
afterAll(() => server.close());

describe("createGenesysClient", () => {
  it("makes a typed round trip with path params, query and headers", async () => {
    const gc = createGenesysClient({ baseUrl: server.url, headers: { "x-app": "test" }, auth: { accessToken: "tok-1" } });
    const { data, error, response } = await gc.GET("/api/v2/users/{userId}", { params: { path: { userId: "u-1" }, query: { expand: ["presence"] } } });
    expect(error).toBeUndefined();
    expect(data?.name).toBe("Ada");
    expect(response.status).toBe(200);
    const last = server.requests.at(-1)!;
    expect(last.url).toBe("/api/v2/users/u-1?expand=presence");
    expect(last.headers["x-app"]).toBe("test");
    expect(last.headers.authorization).toBe("Bearer tok-1");
  });

  it("sends JSON bodies and calls by official method name", async () => {
    const gc = createGenesysClient({ baseUrl: server.url });
    const { data } = await gc.POST("/api/v2/flows/executions", { body: { flowId: "flow-7" } });
    expect(data?.id).toBe("exec-1");
    expect(server.requests.at(-1)!.headers["content-type"]).toBe("application/json");
    const byName = await gc.call("getUser", { params: { path: { userId: "u-1" } } });
    expect(byName.data?.id).toBe("u-1");
    expect(server.requests.at(-1)!.headers.authorization).toBeUndefined();
  });

  it("returns a GenesysApiError with code, correlation id and required permissions", async () => {
    const gc = createGenesysClient({ baseUrl: server.url });
    const { error } = await gc.GET("/api/v2/routing/queues/{queueId}", { params: { path: { queueId: "q-1" } } });
    expect(error).toBeInstanceOf(GenesysApiError);
    expect(error).toMatchObject({ status: 403, code: "missing.permissions", correlationId: "c-9", contextId: "ctx-9" });
    expect(error?.operation).toEqual({ method: "GET", path: "/api/v2/routing/queues/{queueId}" });
    expect(error?.requiredPermissions?.permissions).toContain("routing:queue:view");
    expect(error?.message).toMatch(/routing:queue:view/);
    await expect(unwrap(gc.GET("/api/v2/routing/queues/{queueId}", { params: { path: { queueId: "q" } } }))).rejects.toBeInstanceOf(GenesysApiError);
  });

  it("runs user middleware once per call", async () => {
    const gc = createGenesysClient({ baseUrl: server.url });
    const seen: string[] = [];
    gc.use({ onRequest: ({ request }) => void seen.push(`req ${request.method}`), onResponse: ({ response }) => void seen.push(`res ${response.status}`) });
    await gc.GET("/api/v2/users/me");
    expect(seen).toEqual(["req GET", "res 404"]);
  });

  it("validates region and origins", () => {
    expect(createGenesysClient().baseUrl).toBe("https://api.mypurecloud.com");
    expect(createGenesysClient({ region: "eu_central_2" }).baseUrl).toBe("https://api.euc2.pure.cloud");
    expect(createGenesysClient({ region: "eusc_de_east_1" }).baseUrl).toBe("https://api.edee1.eusc-pure.cloud");
    // @ts-expect-error not a region
    expect(() => createGenesysClient({ region: "mars_1" })).toThrow(UnknownRegionError);
    expect(() => createGenesysClient({ region: "mars_1" as "us_east_1" })).toThrow(/Valid regions: us_east_1, .*eusc_de_east_1/);
    expect(() => createGenesysClient({ baseUrl: "http://api.example.com" })).toThrow(ConfigurationError);
    expect(() => createGenesysClient({ baseUrl: "http://localhost:4010" })).not.toThrow();
  });
});
