// Bulk export of a day's conversations through an analytics details job: check how far the data is complete,
// submit POST /api/v2/analytics/conversations/details/jobs, let the SDK poll with growing intervals, stream the
// results page by page (cursor), and give up cleanly (job DELETEd) if it takes too long. Then the day's audit
// trail through the same helper (POST /api/v2/audits/query).
//
// Run against the built-in simulator:  npx tsx examples/analytics-export.ts
import { AbortedError, createGenesysClient, JobError } from "genesys-cloud-sdk";
import { startSimulator } from "genesys-cloud-sdk/simulator";

export interface ExportResult {
  conversations: number;
  inbound: number;
  talkMinutes: number;
  auditEntries: number;
  statusPolls: number;
  dataCompleteUpTo: string;
}

export async function exportDay(baseUrl: string, day: string, signal: AbortSignal): Promise<Omit<ExportResult, "statusPolls">> {
  const gc = createGenesysClient({
    baseUrl, // in production: region: "eu_west_1" (and no baseUrl)
    auth: { clientId: "sim-client", clientSecret: "sim-secret" },
  });
  const start = new Date(`${day}T00:00:00Z`);
  const end = new Date(start.getTime() + 86_400_000);
  // A job's interval past this date returns partial data: stop the interval there.
  const complete = await gc.jobs.availability();
  const interval = `${start.toISOString()}/${(complete < end ? complete : end).toISOString()}`;

  let conversations = 0;
  let inbound = 0;
  let talkMs = 0;
  const job = gc.jobs.run(
    "/api/v2/analytics/conversations/details/jobs",
    { body: { interval, order: "asc", orderBy: "conversationStart" } },
    { signal, resultsQuery: { pageSize: 1000 }, onSubmit: (jobId) => console.log(`job ${jobId} submitted for ${interval}`) },
  );
  for await (const conversation of job) {
    conversations++;
    if (conversation.originatingDirection === "inbound") inbound++;
    for (const participant of conversation.participants ?? []) {
      for (const session of participant.sessions ?? []) for (const m of session.metrics ?? []) if (m.name === "tTalk") talkMs += m.value ?? 0;
    }
  }

  let auditEntries = 0;
  for await (const entry of gc.jobs.run("/api/v2/audits/query", { body: { interval, serviceName: "Architect" } }, { signal })) {
    if (entry.action) auditEntries++;
  }
  return { conversations, inbound, talkMinutes: Math.round(talkMs / 60_000), auditEntries, dataCompleteUpTo: complete.toISOString() };
}

/** Starts a simulator whose jobs take `processingMs` and hold `results` items, exports one day, closes it. */
export async function main({ processingMs = 3_000, results = 2_500 } = {}): Promise<ExportResult> {
  const sim = await startSimulator({ jobs: { processingMs, results } });
  try {
    // Give the whole export 5 minutes; past that the wait ends, the job is cancelled and AbortedError is thrown.
    const result = await exportDay(sim.url, "2025-01-06", AbortSignal.timeout(300_000));
    const statusPolls = sim.stats().jobs.reduce((n, j) => n + j.polls, 0);
    return { ...result, statusPolls };
  } catch (error) {
    if (error instanceof JobError) console.error(`job ${error.jobId} ended ${error.state}: ${error.serverMessage ?? error.message}`);
    else if (error instanceof AbortedError) console.error("export cancelled: it took longer than 5 minutes");
    throw error;
  } finally {
    await sim.close();
  }
}

if (process.argv[1] && import.meta.url.endsWith(process.argv[1].replace(/\\/g, "/"))) {
  const r = await main();
  console.log(
    `${r.conversations} conversations (${r.inbound} inbound, ${r.talkMinutes} talk minutes), ${r.auditEntries} audit entries, ` +
      `${r.statusPolls} status polls in all; data complete up to ${r.dataCompleteUpTo}.`,
  );
}
