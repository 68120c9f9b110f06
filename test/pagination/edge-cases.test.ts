// Paging edge cases against a scripted loopback server: stop conditions, loops, nextUri safety, bad input.
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { ConfigurationError, createGenesysClient, PaginationError } from "../../src/index.js";
import { json, startTinyServer, type RecordedRequest } from "../support/tiny-server.js";

type Handler = (req: RecordedRequest, url: URL) => unknown;
let handler: Handler = () => ({});
let server: Awaited<ReturnType<typeof startTinyServer>>;
beforeAll(async () => {
  server = await startTinyServer((req, res) => json(res, 200, handler(req, new URL(req.url, "http://x"))));
});
afterAll(() => server.close());
beforeEach(() => {
  server.requests.length = 0;
});

const entities = (from: number, n: number) => Array.from({ length: n }, (_, i) => ({ id: `e${from + i}` }));
const urls = () => server.requests.map((r) => r.url);

async function walk<T>(items: AsyncIterable<T>): Promise<{ items: T[]; error: unknown }> {
  const out: T[] = [];
  try {
    for await (const item of items) out.push(item);
    return { items: out, error: undefined };
  } catch (error) {
    return { items: out, error };
  }
}

describe("stop conditions", () => {
  it("pageNumber without nextUri: increments pageNumber until pageCount", async () => {
    handler = (_req, url) => {
      const n = Number(url.searchParams.get("pageNumber") ?? 1);
      return { entities: entities((n - 1) * 2, n < 3 ? 2 : 1), pageNumber: n, pageSize: 2, pageCount: 3, total: 5 };
    };
    const gc = createGenesysClient({ baseUrl: server.url });
    const { items, error } = await walk(gc.paginate("/api/v2/users", { params: { query: { pageSize: 2, state: "active" } } }));
    expect(error).toBeUndefined();
    expect(items.map((u) => u.id)).toEqual(["e0", "e1", "e2", "e3", "e4"]);
    expect(urls()).toEqual([
      "/api/v2/users?pageSize=2&state=active",
      "/api/v2/users?pageSize=2&state=active&pageNumber=2",
      "/api/v2/users?pageSize=2&state=active&pageNumber=3",
    ]);
  });

  it("pageNumber without pageCount: stops at total, or at an empty page", async () => {
    handler = (_req, url) => {
      const n = Number(url.searchParams.get("pageNumber") ?? 1);
      return { entities: n <= 2 ? entities(n * 10, 2) : [], pageNumber: n, total: 4 };
    };
    const gc = createGenesysClient({ baseUrl: server.url });
    expect((await walk(gc.paginate("/api/v2/users"))).items).toHaveLength(4);
    expect(server.requests).toHaveLength(2);
    server.requests.length = 0;
    handler = (_req, url) => {
      const n = Number(url.searchParams.get("pageNumber") ?? 1);
      return { entities: n <= 2 ? entities(n * 10, 2) : [], pageNumber: n };
    };
    expect((await walk(gc.paginate("/api/v2/users"))).items).toHaveLength(4);
    expect(server.requests).toHaveLength(3);
  });

  it("an empty page ends the walk even when it carries a nextUri", async () => {
    handler = () => ({ entities: [], nextUri: "/api/v2/users?pageNumber=99" });
    const gc = createGenesysClient({ baseUrl: server.url });
    const { items, error } = await walk(gc.pages("/api/v2/users"));
    expect(error).toBeUndefined();
    expect(items).toHaveLength(1);
    expect(server.requests).toHaveLength(1);
  });

  it("after in the body (no nextUri) is sent back as the `after` query parameter", async () => {
    handler = (_req, url) => {
      const after = url.searchParams.get("after");
      return after === "a2" ? { entities: entities(2, 1) } : { entities: entities(0, 2), after: "a2" };
    };
    const gc = createGenesysClient({ baseUrl: server.url });
    const { items } = await walk(gc.paginate("/api/v2/taskmanagement/workitems/bulk/jobs/users/me", { params: { query: { pageSize: 2 } } }));
    expect(items).toHaveLength(3);
    expect(urls()).toEqual([
      "/api/v2/taskmanagement/workitems/bulk/jobs/users/me?pageSize=2",
      "/api/v2/taskmanagement/workitems/bulk/jobs/users/me?pageSize=2&after=a2",
    ]);
  });
});

describe("loops are detected", () => {
  it("a server repeating the same nextUri", async () => {
    handler = () => ({ entities: [{ id: `e${server.requests.length}` }], nextUri: "/api/v2/users?pageNumber=2" });
    const gc = createGenesysClient({ baseUrl: server.url });
    const { items, error } = await walk(gc.paginate("/api/v2/users"));
    expect(error).toBeInstanceOf(PaginationError);
    expect(error).toMatchObject({ reason: "repeated-page" });
    expect(items).toHaveLength(2);
    expect(server.requests).toHaveLength(2);
  });

  it("a server repeating the same cursor", async () => {
    handler = () => ({ entities: [{ id: `e${server.requests.length}` }], cursor: "same" });
    const gc = createGenesysClient({ baseUrl: server.url });
    const { error } = await walk(gc.paginate("/api/v2/audits/query/{transactionId}/results", { params: { path: { transactionId: "t" } } }));
    expect(error).toMatchObject({ name: "PaginationError", reason: "repeated-page" });
    expect((error as Error).message).toMatch(/cursor same/);
    expect(server.requests).toHaveLength(2);
  });

  it("a server answering the same page for every pageNumber, without page metadata", async () => {
    handler = () => ({ entities: entities(0, 3) });
    const gc = createGenesysClient({ baseUrl: server.url });
    const { items, error } = await walk(gc.paginate("/api/v2/users"));
    expect(error).toMatchObject({ reason: "repeated-page" });
    expect((error as Error).message).toMatch(/same page twice in a row/);
    expect(items).toHaveLength(6);
    expect(server.requests).toHaveLength(2);
  });

  it("a server ignoring pageNumber (answering page 1 again)", async () => {
    handler = () => ({ entities: [{ id: `e${server.requests.length}` }], pageNumber: 1, pageCount: 5 });
    const gc = createGenesysClient({ baseUrl: server.url });
    const { error } = await walk(gc.paginate("/api/v2/users"));
    expect(error).toMatchObject({ reason: "repeated-page" });
    expect((error as Error).message).toMatch(/asked for page 2 but the server answered page 1/);
    expect(server.requests).toHaveLength(2);
  });
});

describe("nextUri safety", () => {
  it("follows an absolute nextUri on the API origin, sending its query string as is", async () => {
    handler = (_req, url) =>
      url.searchParams.get("cursor")
        ? { entities: entities(5, 1), pageNumber: 2, pageCount: 2 }
        : { entities: entities(0, 1), pageNumber: 1, pageCount: 2, nextUri: `${server.url}/api/v2/users?cursor=a%2Bb%3D%3D&pageSize=1` };
    const gc = createGenesysClient({ baseUrl: server.url, auth: { accessToken: "tok" } });
    const { items } = await walk(gc.paginate("/api/v2/users"));
    expect(items).toHaveLength(2);
    expect(urls()[1]).toBe("/api/v2/users?cursor=a%2Bb%3D%3D&pageSize=1");
    expect(server.requests[1].headers.authorization).toBe("Bearer tok");
  });

  it("keeps a baseUrl path prefix for relative nextUris", async () => {
    handler = (_req, url) =>
      url.searchParams.get("pageNumber")
        ? { entities: entities(1, 1), pageCount: 2 }
        : { entities: entities(0, 1), pageCount: 2, nextUri: "/api/v2/users?pageNumber=2" };
    const gc = createGenesysClient({ baseUrl: `${server.url}/proxy/genesys` });
    const { items } = await walk(gc.paginate("/api/v2/users"));
    expect(items).toHaveLength(2);
    expect(urls()).toEqual(["/proxy/genesys/api/v2/users", "/proxy/genesys/api/v2/users?pageNumber=2"]);
  });

  it.each([
    ["another port", () => `http://127.0.0.1:1/api/v2/users?pageNumber=2`, "foreign-next-uri"],
    ["another host", () => `https://evil.example.com/api/v2/users`, "foreign-next-uri"],
    ["a protocol-relative URL", () => `//evil.example.com/api/v2/users`, "foreign-next-uri"],
    ["https instead of http", () => `${server.url.replace("http:", "https:")}/api/v2/users?pageNumber=2`, "foreign-next-uri"],
    ["a javascript: URL", () => "javascript:alert(1)", "foreign-next-uri"],
    ["not a URL", () => "http://[::1", "invalid-next-uri"],
  ])("refuses %s before sending anything", async (_name, next, reason) => {
    handler = () => ({ entities: entities(0, 1), nextUri: next() });
    const gc = createGenesysClient({ baseUrl: server.url, auth: { accessToken: "tok" } });
    const { items, error } = await walk(gc.paginate("/api/v2/users"));
    expect(items).toHaveLength(1);
    expect(error).toMatchObject({ name: "PaginationError", reason });
    expect(server.requests).toHaveLength(1);
  });

  it("refuses a nextUri that leaves the baseUrl path prefix", async () => {
    handler = () => ({ entities: entities(0, 1), nextUri: `${server.url}/api/v2/users?pageNumber=2` });
    const gc = createGenesysClient({ baseUrl: `${server.url}/proxy` });
    const { error } = await walk(gc.paginate("/api/v2/users"));
    expect(error).toMatchObject({ reason: "invalid-next-uri" });
    expect(server.requests).toHaveLength(1);
  });
});

describe("bad input and bad pages", () => {
  it("a page that is not a JSON object is a PaginationError", async () => {
    handler = () => [1, 2, 3];
    const gc = createGenesysClient({ baseUrl: server.url });
    const { error } = await walk(gc.pages("/api/v2/users"));
    expect(error).toMatchObject({ name: "PaginationError", reason: "invalid-page" });
  });

  it("limit and maxPages must be whole numbers ≥ 0; limit 0 sends nothing", async () => {
    handler = () => ({ entities: entities(0, 1) });
    const gc = createGenesysClient({ baseUrl: server.url });
    expect((await walk(gc.paginate("/api/v2/users", { limit: -1 }))).error).toBeInstanceOf(ConfigurationError);
    expect((await walk(gc.pages("/api/v2/users", { maxPages: 1.5 }))).error).toBeInstanceOf(ConfigurationError);
    expect((await walk(gc.paginate("/api/v2/users", { limit: 0 }))).items).toEqual([]);
    expect(server.requests).toHaveLength(0);
  });

  it("an aborted signal stops the walk", async () => {
    handler = (_req, url) => ({ entities: entities(0, 1), pageNumber: Number(url.searchParams.get("pageNumber") ?? 1), pageCount: 100 });
    const gc = createGenesysClient({ baseUrl: server.url });
    const controller = new AbortController();
    let pages = 0;
    const { error } = await walk(
      (async function* () {
        for await (const page of gc.pages("/api/v2/users", { signal: controller.signal })) {
          if (++pages === 2) controller.abort();
          yield page;
        }
      })(),
    );
    expect(error).toBeDefined();
    expect(server.requests).toHaveLength(2);
  });
});

describe("style detection without the operation table", () => {
  it("an operation the table does not know pages by the body's own fields", async () => {
    handler = (_req, url) => {
      const after = url.searchParams.get("after");
      return after ? { entities: entities(9, 1) } : { entities: entities(0, 2), cursors: { after: "c1" } };
    };
    const gc = createGenesysClient({ baseUrl: server.url });
    // A path outside the spec (e.g. a newer API than the SDK's spec): cast, as a caller with its own paths would.
    const { items } = await walk(gc.paginate("/api/v2/not-in-spec" as "/api/v2/assistants", { params: { query: { after: "" } } }));
    expect(items).toHaveLength(3);
    expect(urls()).toEqual(["/api/v2/not-in-spec?after=", "/api/v2/not-in-spec?after=c1"]);
  });
});
