// Every paging style walked to its end against the simulator over real HTTP, through auth and resilience.
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { createGenesysClient, GenesysApiError, PaginationError } from "../../src/index.js";
import { startSimulator } from "../../src/simulator/index.js";
import type { Simulator } from "../../src/simulator/types.js";
import { startTinyServer } from "../support/tiny-server.js";

const auth = { clientId: "sim-client", clientSecret: "sim-secret" };

let sim: Simulator;
beforeAll(async () => {
  sim = await startSimulator({ rateLimit: false });
});
afterAll(() => sim.close());
afterEach(() => {
  sim.configure({ faults: [], nextUriOrigin: undefined });
  sim.resetStats();
});

const requestsTo = (route: string) => Object.values(sim.stats().byRoute[`GET ${route}`] ?? {}).reduce((a, b) => a + b, 0);

async function collect<T>(items: AsyncIterable<T>): Promise<T[]> {
  const out: T[] = [];
  for await (const item of items) out.push(item);
  return out;
}

describe("paging styles against the simulator", () => {
  it("pageNumber (users): 250 users by pages of 100, in order, each once", async () => {
    const gc = createGenesysClient({ baseUrl: sim.url, auth });
    const users = await collect(gc.paginate("/api/v2/users", { params: { query: { pageSize: 100 } } }));
    expect(users).toHaveLength(250);
    expect(new Set(users.map((u) => u.id)).size).toBe(250);
    expect(requestsTo("/api/v2/users")).toBe(3);
    expect(sim.stats().tokenRequests).toBe(1);
  });

  it("pages() yields whole typed pages (default page size 25 → 10 pages)", async () => {
    const gc = createGenesysClient({ baseUrl: sim.url, auth });
    const pages = await collect(gc.pages("/api/v2/users"));
    expect(pages.map((p) => p.pageNumber)).toEqual([1, 2, 3, 4, 5, 6, 7, 8, 9, 10]);
    expect(pages.every((p) => p.pageCount === 10 && p.total === 250)).toBe(true);
    expect(pages.reduce((n, p) => n + (p.entities?.length ?? 0), 0)).toBe(250);
  });

  it("cursor with cursors.after (external contacts scan): 120 contacts", async () => {
    const gc = createGenesysClient({ baseUrl: sim.url, auth });
    const contacts = await collect(gc.paginate("/api/v2/externalcontacts/scan/contacts", { params: { query: { limit: 50 } } }));
    expect(contacts).toHaveLength(120);
    expect(new Set(contacts.map((c) => c.id)).size).toBe(120);
    expect(requestsTo("/api/v2/externalcontacts/scan/contacts")).toBe(3);
  });

  it("cursor in the body, no nextUri (audit query results): 120 entries", async () => {
    const gc = createGenesysClient({ baseUrl: sim.url, auth });
    const pages = await collect(
      gc.pages("/api/v2/audits/query/{transactionId}/results", { params: { path: { transactionId: "tx-1" }, query: { pageSize: 25 } } }),
    );
    expect(pages).toHaveLength(5);
    expect(pages.slice(0, 4).every((p) => typeof p.cursor === "string")).toBe(true);
    expect(pages[4].cursor).toBeUndefined();
    const entries = pages.flatMap((p) => p.entities ?? []);
    expect(new Set(entries.map((e) => e.id)).size).toBe(120);
    expect(requestsTo("/api/v2/audits/query/{transactionId}/results")).toBe(5);
  });

  it("after (assistants, continued through nextUri): 120 assistants", async () => {
    const gc = createGenesysClient({ baseUrl: sim.url, auth });
    const assistants = await collect(gc.paginate("/api/v2/assistants", { params: { query: { pageSize: "30" } } }));
    expect(assistants).toHaveLength(120);
    expect(new Set(assistants.map((a) => a.id)).size).toBe(120);
    expect(requestsTo("/api/v2/assistants")).toBe(4);
  });

  it("limit and maxPages stop early", async () => {
    const gc = createGenesysClient({ baseUrl: sim.url, auth });
    expect(await collect(gc.paginate("/api/v2/users", { params: { query: { pageSize: 100 } }, limit: 130 }))).toHaveLength(130);
    expect(requestsTo("/api/v2/users")).toBe(2);
    sim.resetStats();
    expect(await collect(gc.pages("/api/v2/assistants", { maxPages: 2 }))).toHaveLength(2);
    expect(requestsTo("/api/v2/assistants")).toBe(2);
  });

  it("page requests go through the resilience pipeline (a 503 is retried) and the client's middleware", async () => {
    const gc = createGenesysClient({ baseUrl: sim.url, auth, resilience: { retry: { baseDelayMs: 10 } } });
    const seen: string[] = [];
    gc.use({ onRequest: ({ request }) => void seen.push(new URL(request.url).search) });
    sim.configure({ faults: [{ kind: "status", status: 503, route: "/api/v2/users", count: 1 }] });
    const users = await collect(gc.paginate("/api/v2/users", { params: { query: { pageSize: 100 } } }));
    expect(users).toHaveLength(250);
    expect(sim.stats().byRoute["GET /api/v2/users"]).toEqual({ "200": 3, "503": 1 });
    // Middleware sees each page once (retries happen below it); nextUri pages keep the server's query string.
    expect(seen).toEqual(["?pageSize=100", "?pageSize=100&pageNumber=2", "?pageSize=100&pageNumber=3"]);
  });

  it("a failing page throws its GenesysApiError", async () => {
    const gc = createGenesysClient({ baseUrl: sim.url, auth, resilience: false });
    const walk = collect(gc.paginate("/api/v2/users", { params: { query: { pageSize: 0 } } }));
    const error = await walk.catch((e: unknown) => e);
    expect(error).toBeInstanceOf(GenesysApiError);
    expect(error).toMatchObject({ status: 400, code: "bad.request", operation: { method: "GET", path: "/api/v2/users" } });
  });
});

describe("foreign nextUri", () => {
  it("is refused with a PaginationError naming the origin, and the foreign server sees no request", async () => {
    const foreign = await startTinyServer((_req, res) => res.end("{}"));
    try {
      sim.configure({ nextUriOrigin: foreign.url });
      const gc = createGenesysClient({ baseUrl: sim.url, auth });
      const seen: unknown[] = [];
      let error: unknown;
      try {
        for await (const user of gc.paginate("/api/v2/users", { params: { query: { pageSize: 100 } } })) seen.push(user);
      } catch (e) {
        error = e;
      }
      expect(seen).toHaveLength(100); // the first page is fine
      expect(error).toBeInstanceOf(PaginationError);
      expect(error).toMatchObject({ reason: "foreign-next-uri", foreignOrigin: foreign.url, operation: { method: "GET", path: "/api/v2/users" } });
      expect((error as Error).message).toContain(`points to ${foreign.url}, not the API origin ${sim.url}`);
      expect(foreign.requests).toHaveLength(0);
      expect(requestsTo("/api/v2/users")).toBe(1);
    } finally {
      await foreign.close();
    }
  });
});
