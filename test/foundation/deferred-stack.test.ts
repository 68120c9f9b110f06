// The call stack (openapi-fetch, transport, pipeline) is loaded with the first call: a client that has not called
// yet behaves as if it were there — one stack per client however many first calls race, the same stats, the same
// middleware in the same order, bad middleware refused at once.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ConfigurationError, createGenesysClient } from "../../src/index.js";
import type { ResilienceOptions } from "../../src/resilience/types.js";
import { createEventHub } from "../../src/events.js";
import { createPipeline } from "../../src/resilience/pipeline.js";
import { json, startTinyServer } from "../support/tiny-server.js";

let server: Awaited<ReturnType<typeof startTinyServer>>;
let inFlight = 0;
let maxInFlight = 0;
beforeAll(async () => {
  server = await startTinyServer((req, res) => {
    inFlight++;
    maxInFlight = Math.max(maxInFlight, inFlight);
    // Held a little, so that calls sent by two different stacks would overlap here.
    setTimeout(() => {
      inFlight--;
      json(res, 200, { id: req.url.split("/").pop() });
    }, 20);
  });
});
afterAll(() => server.close());

describe("the call stack, loaded with the first call", () => {
  it("is loaded once per client: racing first calls share one bulkhead", async () => {
    maxInFlight = 0;
    const gc = createGenesysClient({ baseUrl: server.url, resilience: { bulkhead: { maxConcurrent: 1, maxQueued: 10 } } });
    const ids = ["a", "b", "c", "d"];
    const results = await Promise.all(ids.map((userId) => gc.GET("/api/v2/users/{userId}", { params: { path: { userId } } })));
    expect(results.map((r) => (r.data as { id: string }).id)).toEqual(ids);
    expect(maxInFlight).toBe(1);
  });

  it.each<[string, ResilienceOptions | false]>([
    ["defaults", {}],
    ["resilience off", false],
    ["a fixed pace", { rateLimit: { requestsPerSecond: 5 } }],
    ["per route group", { rateLimit: { scope: "route-group" }, bulkhead: { maxConcurrent: 2 } }],
  ])("reports, before it is loaded, what a fresh pipeline reports (%s)", async (_, resilience) => {
    const gc = createGenesysClient({ baseUrl: server.url, resilience });
    const fresh = createPipeline(resilience, createEventHub()).stats();
    expect(gc.stats()).toEqual(fresh);
    await gc.GET("/api/v2/users/{userId}", { params: { path: { userId: "x" } } });
    expect(gc.stats().inFlight).toBe(0);
  });

  it("keeps the middleware added and ejected before it was loaded, in order, then takes more", async () => {
    const gc = createGenesysClient({ baseUrl: server.url });
    const seen: string[] = [];
    const tag = (name: string) => ({ onRequest: () => void seen.push(name) });
    const [a, b, c] = [tag("a"), tag("b"), tag("c")];
    gc.use(a, b);
    gc.eject(a);
    gc.use(c);
    await gc.GET("/api/v2/users/{userId}", { params: { path: { userId: "1" } } });
    expect(seen).toEqual(["b", "c"]);
    gc.eject(b);
    gc.use(a);
    await gc.GET("/api/v2/users/{userId}", { params: { path: { userId: "2" } } });
    expect(seen).toEqual(["b", "c", "c", "a"]);
  });

  it("refuses a middleware that is not one, at once, before and after loading", async () => {
    const gc = createGenesysClient({ baseUrl: server.url });
    const bad = { onrequest: () => {} } as never;
    expect(() => gc.use(bad)).toThrow(ConfigurationError);
    expect(() => gc.use(bad)).toThrow(/onRequest\(\), onResponse\(\) or onError\(\)/);
    await gc.GET("/api/v2/users/{userId}", { params: { path: { userId: "1" } } });
    expect(() => gc.use(bad)).toThrow(ConfigurationError);
    expect(server.requests.at(-1)!.url).toBe("/api/v2/users/1");
  });
});
