// The implemented endpoints: bodies, Genesys-style validation, executions, and walks over every page of
// every paged listing (pageNumber, cursor, audits' cursor, after).
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startSimulator, type Simulator } from "../../src/simulator/index.js";
import { call, expectGenesysError, post } from "./helpers.js";

let sim: Simulator;
let token: string;
beforeAll(async () => {
  sim = await startSimulator({ rateLimit: false, users: 230, conversations: 47, cursorItems: 95 });
  token = sim.issueToken();
});
afterAll(() => sim.close());

type Listing = { entities: { id: string }[]; [key: string]: unknown };

/** Follows `next(page)` until it gives undefined; bounded so a broken server cannot loop the test. */
async function walk(first: string, next: (page: Listing) => string | undefined): Promise<Listing[]> {
  const pages: Listing[] = [];
  for (let path: string | undefined = first; path !== undefined; path = next(pages.at(-1)!)) {
    const answer = await call<Listing>(sim, path, token);
    expect(answer.status, answer.text).toBe(200);
    pages.push(answer.body);
    if (pages.length > 50) throw new Error("too many pages");
  }
  return pages;
}

const ids = (pages: Listing[]) => pages.flatMap((p) => p.entities.map((e) => e.id));

describe("users", () => {
  it("GET /api/v2/users/me and /api/v2/users/{userId}", async () => {
    const me = await call(sim, "/api/v2/users/me", token);
    expect(me.status).toBe(200);
    expect(me.body).toMatchObject({
      id: expect.any(String),
      name: expect.any(String),
      state: "active",
      version: expect.any(Number),
      organization: { name: "Simulated Org" },
    });
    const byId = await call(sim, `/api/v2/users/${me.body.id as string}`, token);
    expect(byId.body).toMatchObject({ id: me.body.id, name: me.body.name, selfUri: `/api/v2/users/${me.body.id as string}` });
    expectGenesysError(await call(sim, "/api/v2/users/00000000-0000-0000-0000-000000000000", token), 404, "not.found");
  });

  it("walks every page of /api/v2/users by nextUri (relative, like Genesys)", async () => {
    const pages = await walk("/api/v2/users?pageSize=100", (p) => p.nextUri as string | undefined);
    expect(pages).toHaveLength(3);
    expect(pages.map((p) => p.entities.length)).toEqual([100, 100, 30]);
    expect(new Set(ids(pages)).size).toBe(230);
    expect(pages[1]).toMatchObject({
      pageSize: 100,
      pageNumber: 2,
      total: 230,
      pageCount: 3,
      firstUri: "/api/v2/users?pageSize=100&pageNumber=1",
      selfUri: "/api/v2/users?pageSize=100&pageNumber=2",
      nextUri: "/api/v2/users?pageSize=100&pageNumber=3",
      previousUri: "/api/v2/users?pageSize=100&pageNumber=1",
      lastUri: "/api/v2/users?pageSize=100&pageNumber=3",
    });
    expect(pages[0].previousUri).toBeUndefined();
    expect(pages[2].nextUri).toBeUndefined();
    // Beyond the last page: empty, like Genesys.
    const beyond = await call<Listing>(sim, "/api/v2/users?pageSize=100&pageNumber=9", token);
    expect(beyond.body.entities).toEqual([]);
    expect(beyond.body.total).toBe(230);
  });

  it("defaults to 25 per page and fetches by id in bulk", async () => {
    const first = await call<Listing>(sim, "/api/v2/users", token);
    expect(first.body).toMatchObject({ pageSize: 25, pageNumber: 1, pageCount: 10, total: 230 });
    const wanted = [first.body.entities[3].id, first.body.entities[7].id, "unknown-id"];
    const bulk = await call<Listing>(sim, `/api/v2/users?${wanted.map((id) => `id=${id}`).join("&")}`, token);
    expect(ids([bulk.body])).toEqual(wanted.slice(0, 2));
    expect(bulk.body.total).toBe(2);
  });

  it.each([
    ["pageSize=501", "pageSize"],
    ["pageSize=0", "pageSize"],
    ["pageSize=ten", "pageSize"],
    ["pageNumber=0", "pageNumber"],
    ["pageNumber=1.5", "pageNumber"],
  ])("answers 400 bad.request for %s", async (query, parameter) => {
    const answer = await call(sim, `/api/v2/users?${query}`, token);
    expectGenesysError(answer, 400, "bad.request");
    expect(answer.body.message).toContain(`[${parameter}]`);
  });
});

describe("paged listings", () => {
  it("walks /api/v2/conversations/messages", async () => {
    const pages = await walk("/api/v2/conversations/messages?pageSize=20", (p) => p.nextUri as string | undefined);
    expect(pages.map((p) => p.entities.length)).toEqual([20, 20, 7]);
    expect(new Set(ids(pages)).size).toBe(47);
    expect(pages[2]).toMatchObject({ total: 47, pageCount: 3, pageNumber: 3 });
    expect(pages[0].entities[0]).toMatchObject({ participants: [{ purpose: "customer" }, { purpose: "agent" }] });
  });

  it("walks /api/v2/externalcontacts/scan/contacts by cursor", async () => {
    const pages = await walk("/api/v2/externalcontacts/scan/contacts?limit=40", (p) => p.nextUri as string | undefined);
    expect(pages.map((p) => p.entities.length)).toEqual([40, 40, 15]);
    expect(new Set(ids(pages)).size).toBe(95);
    const after = (pages[0].cursors as { after: string }).after;
    expect(pages[0].nextUri).toBe(`/api/v2/externalcontacts/scan/contacts?limit=40&cursor=${after}`);
    expect(pages[1].selfUri).toBe(pages[0].nextUri);
    expect(pages[2].cursors).toEqual({});
    expect(pages[2].nextUri).toBeUndefined();
    // Following cursors.after by hand gives the same pages.
    const manual = await walk("/api/v2/externalcontacts/scan/contacts?limit=40", (p) => {
      const next = (p.cursors as { after?: string }).after;
      return next ? `/api/v2/externalcontacts/scan/contacts?limit=40&cursor=${next}` : undefined;
    });
    expect(ids(manual)).toEqual(ids(pages));
  });

  it("walks /api/v2/audits/query/{transactionId}/results by cursor (absent on the last page)", async () => {
    const base = "/api/v2/audits/query/tx-42/results";
    const pages = await walk(`${base}?pageSize=50`, (p) => (p.cursor ? `${base}?pageSize=50&cursor=${p.cursor as string}` : undefined));
    expect(pages.map((p) => p.entities.length)).toEqual([50, 45]);
    expect(new Set(ids(pages)).size).toBe(95);
    expect(pages[0]).toMatchObject({ id: "tx-42", pageSize: 50, cursor: expect.any(String) });
    expect("cursor" in pages[1]).toBe(false);
    expect((await call<Listing>(sim, base, token)).body.entities).toHaveLength(25);
  });

  it("walks /api/v2/assistants by nextUri with after=", async () => {
    const pages = await walk("/api/v2/assistants?pageSize=30", (p) => p.nextUri as string | undefined);
    expect(pages.map((p) => p.entities.length)).toEqual([30, 30, 30, 5]);
    expect(new Set(ids(pages)).size).toBe(95);
    expect(pages[0].nextUri).toMatch(/^\/api\/v2\/assistants\?pageSize=30&after=[\w-]+$/);
    expect(pages[3].nextUri).toBeUndefined();
    expect((await call<Listing>(sim, "/api/v2/assistants?limit=7", token)).body.entities).toHaveLength(7);
  });

  it.each([
    ["/api/v2/externalcontacts/scan/contacts?limit=5", "[limit]"],
    ["/api/v2/externalcontacts/scan/contacts?cursor=bogus", "Invalid cursor"],
    ["/api/v2/audits/query/tx/results?pageSize=501", "[pageSize]"],
    ["/api/v2/audits/query/tx/results?cursor=YXNzaXN0YW50czozMA", "Invalid cursor"],
    ["/api/v2/assistants?pageSize=201", "[pageSize]"],
    ["/api/v2/assistants?after=nope", "Invalid after"],
  ])("answers 400 bad.request for %s", async (path, text) => {
    const answer = await call(sim, path, token);
    expectGenesysError(answer, 400, "bad.request");
    expect(answer.body.message).toContain(text);
  });

  it("writes absolute links with nextUriOrigin (for testing foreign nextUri handling)", async () => {
    const other = await startSimulator({ nextUriOrigin: "https://api.other.example.com/ignored/path", rateLimit: false });
    try {
      const t = other.issueToken();
      const users = await call<Listing>(other, "/api/v2/users?pageSize=100", t);
      expect(users.body.nextUri).toBe("https://api.other.example.com/api/v2/users?pageSize=100&pageNumber=2");
      expect(users.body.selfUri).toBe("https://api.other.example.com/api/v2/users?pageSize=100&pageNumber=1");
      const scan = await call<Listing>(other, "/api/v2/externalcontacts/scan/contacts?limit=10", t);
      expect(scan.body.nextUri).toMatch(/^https:\/\/api\.other\.example\.com\/api\/v2\/externalcontacts\/scan\/contacts\?limit=10&cursor=/);
      other.configure({ nextUriOrigin: undefined });
      expect((await call<Listing>(other, "/api/v2/users?pageSize=100", t)).body.nextUri).toBe("/api/v2/users?pageSize=100&pageNumber=2");
    } finally {
      await other.close();
    }
  });
});

describe("executions", () => {
  it("POST /api/v2/flows/executions launches a flow and records it", async () => {
    sim.resetStats();
    const answer = await post(sim, "/api/v2/flows/executions", token, { flowId: "flow-1", flowVersion: "3.0", name: "Order 1", inputData: { a: 1 } });
    expect(answer.status).toBe(200);
    expect(answer.body).toEqual({
      id: expect.stringMatching(/^[0-9a-f-]{36}$/),
      name: "Order 1",
      flowVersion: { id: "3.0" },
      selfUri: `/api/v2/flows/executions/${answer.body.id as string}`,
    });
    expect(sim.stats().executions).toEqual({ flows: 1, actions: 0, duplicates: 0 });
  });

  it.each([
    ["not JSON", "{flowId:"],
    ["a JSON array", "[1]"],
    ["no flowId", { name: "x" }],
    ["a non-string flowVersion", { flowId: "f", flowVersion: 3 }],
    ["a non-object inputData", { flowId: "f", inputData: "x" }],
  ])("answers 400 bad.request for %s, recording nothing", async (_case, body) => {
    sim.resetStats();
    expectGenesysError(await post(sim, "/api/v2/flows/executions", token, body), 400, "bad.request");
    expect(sim.stats().executions.flows).toBe(0);
  });

  it("POST /api/v2/integrations/actions/{actionId}/execute takes any JSON object, counting duplicates per action", async () => {
    sim.resetStats();
    const path = "/api/v2/integrations/actions/custom_-_a1/execute";
    const answer = await post(sim, path, token, { customerId: "c-1" });
    expect(answer.status).toBe(200);
    expect(answer.body).toMatchObject({ actionId: "custom_-_a1", input: { customerId: "c-1" } });
    await post(sim, path, token, { customerId: "c-1" });
    await post(sim, path, token, { customerId: "c-1" });
    await post(sim, "/api/v2/integrations/actions/other/execute", token, { customerId: "c-1" });
    expectGenesysError(await post(sim, path, token, "[]"), 400, "bad.request");
    expect(sim.stats().executions).toEqual({ flows: 0, actions: 4, duplicates: 2 });
  });
});

describe("other paths", () => {
  it("answers 501 naming the operation for a real spec operation the simulator does not implement", async () => {
    const answer = await call(sim, "/api/v2/routing/queues/q-1", token);
    expectGenesysError(answer, 501, "not.implemented");
    expect(answer.body.message).toContain("getRoutingQueue");
    expect(sim.stats().byRoute["GET /api/v2/routing/queues/{queueId}"]).toEqual({ "501": 1 });
  });

  it("answers 404 not.found for paths and methods the spec does not have", async () => {
    expectGenesysError(await call(sim, "/api/v2/no/such/thing", token), 404, "not.found");
    const wrongMethod = await call(sim, "/api/v2/assistants", token, { method: "PUT", body: "{}" });
    expectGenesysError(wrongMethod, 404, "not.found");
    expect(wrongMethod.body.message).toBe("The Genesys API has no PUT /api/v2/assistants (it has GET, POST).");
    expectGenesysError(await call(sim, "/favicon.ico"), 404, "not.found");
  });
});
