// Type-level tests of gc.jobs, checked by `tsc --noEmit`: every @ts-expect-error must be an error.
import { createGenesysClient, type JobItem, type paths } from "../../src/index.js";

const gc = createGenesysClient({ baseUrl: "http://127.0.0.1:1" });
const interval = "2025-01-01T00:00:00Z/2025-01-02T00:00:00Z";

export async function jobTypeChecks(signal: AbortSignal): Promise<void> {
  for await (const c of gc.jobs.run("/api/v2/analytics/conversations/details/jobs", { body: { interval } }, { signal })) {
    const id: string | undefined = c.conversationId;
    void c.participants?.[0]?.sessions;
    void id;
    // @ts-expect-error items are conversations, not pages
    void c.cursor;
  }
  for await (const u of gc.jobs.run("/api/v2/analytics/users/details/jobs", { body: { interval } })) void u.primaryPresence;
  for await (const a of gc.jobs.run("/api/v2/audits/query", { body: { interval, serviceName: "Architect" } })) void a.serviceName;
  for await (const page of gc.jobs.pages("/api/v2/analytics/conversations/details/jobs", { body: { interval } }, { resultsQuery: { pageSize: 1000 } })) {
    const cursor: string | undefined = page.cursor;
    void page.conversations?.length, page.dataAvailabilityDate, cursor;
  }
  gc.jobs.run(
    "/api/v2/analytics/conversations/details/jobs",
    { body: { interval } },
    {
      poll: { initialDelayMs: 500, factor: 1.5, maxDelayMs: 10_000 },
      maxWaitMs: 600_000,
      onStatus: (status, jobId) => void [status.state === "FULFILLED", status.errorMessage, jobId.length],
    },
  );
  const date: Date = await gc.jobs.availability();
  const users: Date = await gc.jobs.availability("/api/v2/analytics/users/details/jobs", { signal });
  void date, users;
  const item: JobItem<paths, "/api/v2/audits/query"> = { id: "x" };
  void item;

  // @ts-expect-error not a job family
  gc.jobs.run("/api/v2/users", {});
  // @ts-expect-error the POST needs a body with an interval
  gc.jobs.run("/api/v2/analytics/conversations/details/jobs", { body: {} });
  // @ts-expect-error the POST needs its init
  gc.jobs.run("/api/v2/analytics/conversations/details/jobs");
  // @ts-expect-error resultsQuery is the results GET's query (pageSize is a number)
  gc.jobs.run("/api/v2/analytics/conversations/details/jobs", { body: { interval } }, { resultsQuery: { pageSize: "big" } });
  // @ts-expect-error the cursor is the SDK's
  gc.jobs.run("/api/v2/analytics/conversations/details/jobs", { body: { interval } }, { resultsQuery: { cursor: "c" } });
  // @ts-expect-error a state is a known state of the family
  gc.jobs.run("/api/v2/audits/query", { body: { interval } }, { onStatus: (s) => s.state === "FULFILLED" });
  // @ts-expect-error audits have no availability endpoint
  void gc.jobs.availability("/api/v2/audits/query");
}
