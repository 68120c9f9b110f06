// The README's scenarios run end to end against the simulator (they are also type-checked by `npm run typecheck`).
import { describe, expect, it } from "vitest";
import { main as analyticsExport } from "../../examples/analytics-export.js";
import { main as dataActionScenario } from "../../examples/data-action-messages.js";
import { main as flowBurstScenario } from "../../examples/flow-execution-bursts.js";

describe("examples", () => {
  it("scenario 1: ~50 concurrent Data Action calls to /api/v2/conversations/messages all succeed on one token", async () => {
    const result = await dataActionScenario(50);
    expect(result).toMatchObject({ calls: 50, succeeded: 50, tokensRequested: 1 });
  });

  it("scenario 2: bursts of flow executions all launch once, on one token", async () => {
    const result = await flowBurstScenario({ bursts: 2, perBurst: 40 });
    expect(result).toMatchObject({ launched: 80, failed: 0, duplicates: 0, tokensRequested: 1 });
  });

  it("analytics export: a conversation details job and an audit query, every result streamed, few polls", async () => {
    const result = await analyticsExport({ processingMs: 200, results: 1_200 });
    expect(result).toMatchObject({ conversations: 1_200, inbound: 1_200, auditEntries: 1_200 });
    expect(result.statusPolls).toBeGreaterThanOrEqual(2);
    expect(result.statusPolls).toBeLessThanOrEqual(4);
  });
});
