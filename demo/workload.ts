// The demo's workload: a realistic mix of Genesys calls fired at once through one SDK client.
import type { GenesysClient } from "../src/index.js";

export type CallKind = "users" | "messages" | "flowExecution" | "dataAction" | "me";

export interface CallOutcome {
  kind: CallKind;
  ok: boolean;
  status: number | undefined;
  ms: number;
  error?: string;
}

export interface WorkloadOptions {
  calls: number;
  /** Read-only (real org): only GETs. */
  readOnly: boolean;
  onDone: (outcome: CallOutcome) => void;
}

const MIX: CallKind[] = ["users", "users", "users", "messages", "messages", "messages", "flowExecution", "flowExecution", "dataAction", "dataAction"];
const READ_ONLY_MIX: CallKind[] = ["users", "messages", "me"];

/** Builds call `i` of the workload; POST bodies are unique so the simulator can count duplicates. */
function callFor(gc: GenesysClient, kind: CallKind, i: number, runId: string) {
  switch (kind) {
    case "users":
      return gc.GET("/api/v2/users", { params: { query: { pageSize: 25, pageNumber: (i % 10) + 1 } } });
    case "messages":
      return gc.GET("/api/v2/conversations/messages");
    case "me":
      return gc.GET("/api/v2/users/me");
    case "flowExecution":
      return gc.POST("/api/v2/flows/executions", {
        body: { flowId: "demo-inbound-flow", name: `demo ${runId} #${i}`, inputData: { requestId: `${runId}-${i}` } },
      });
    case "dataAction":
      return gc.POST("/api/v2/integrations/actions/{actionId}/execute", {
        params: { path: { actionId: "custom_-_lookup-customer" } },
        body: { customerId: `${runId}-${i}` },
      });
  }
}

export async function runWorkload(gc: GenesysClient, { calls, readOnly, onDone }: WorkloadOptions): Promise<CallOutcome[]> {
  const mix = readOnly ? READ_ONLY_MIX : MIX;
  const runId = Math.random().toString(36).slice(2, 8);
  const started = Array.from({ length: calls }, async (_, i): Promise<CallOutcome> => {
    const kind = mix[i % mix.length]!;
    const t0 = performance.now();
    let outcome: CallOutcome;
    try {
      const { error, response } = await callFor(gc, kind, i, runId);
      outcome = { kind, ok: !error, status: response.status, ms: performance.now() - t0, error: error?.message };
    } catch (error) {
      outcome = { kind, ok: false, status: undefined, ms: performance.now() - t0, error: (error as Error).message };
    }
    onDone(outcome);
    return outcome;
  });
  return Promise.all(started);
}
