// Type-level tests, checked by `tsc --noEmit` (npm run typecheck): every @ts-expect-error must be an error.
import { createGenesysClient } from "../../src/index.js";
import { findOperation } from "../../src/operations/index.js";

const gc = createGenesysClient({ baseUrl: "http://127.0.0.1:1" });

export async function typeChecks(userId: string): Promise<void> {
  const { data } = await gc.GET("/api/v2/users/{userId}", { params: { path: { userId } } });
  const name: string | undefined = data?.name;
  void name;
  await gc.GET("/api/v2/users/{userId}", { params: { path: { userId } }, resilience: { retry: false, timeoutMs: 5000 } });
  await gc.POST("/api/v2/flows/executions", { body: { flowId: "f" }, resilience: { idempotent: true, maxAttempts: 2 } });

  // Free-form maps (`additionalProperties: { type: object }` in the spec) take any values, as Genesys does.
  await gc.POST("/api/v2/flows/executions", { body: { flowId: "f", inputData: { "Flow.customerId": "c-1", "Flow.priority": 3 } } });
  await gc.POST("/api/v2/integrations/actions/{actionId}/execute", { params: { path: { actionId: "a" } }, body: { customerId: "c-1" } });

  // @ts-expect-error unknown path
  await gc.GET("/api/v2/userz/{userId}", { params: { path: { userId } } });
  // @ts-expect-error unknown path without init
  await gc.GET("/api/v2/nothing");
  // @ts-expect-error missing required path param
  await gc.GET("/api/v2/users/{userId}", { params: { path: {} } });
  // @ts-expect-error missing init entirely (path param required)
  await gc.GET("/api/v2/users/{userId}");
  // @ts-expect-error wrong body field type
  await gc.POST("/api/v2/flows/executions", { body: { flowId: 42 } });
  // @ts-expect-error POST is not defined on this path
  await gc.POST("/api/v2/users/{userId}", { params: { path: { userId } } });
  // @ts-expect-error wrong query param type
  await gc.GET("/api/v2/users", { params: { query: { pageSize: "big" } } });
  // @ts-expect-error unknown resilience option
  await gc.GET("/api/v2/users/me", { resilience: { retries: 3 } });

  const byName = await gc.call("getUser", { params: { path: { userId } } });
  const id: string | undefined = byName.data?.id;
  void id;
  // @ts-expect-error unknown operation name
  await gc.call("getUzer", {});
  // @ts-expect-error the empty string is not an operation
  await gc.call("", {});
  const op = findOperation("getUser");
  const path: "/api/v2/users/{userId}" = op.path;
  void path;
}
