// Type-level tests of typed errors, checked by `tsc --noEmit`: every @ts-expect-error must be an error.
import { createGenesysClient, type GenesysApiError } from "../../src/index.js";

const gc = createGenesysClient({ baseUrl: "http://127.0.0.1:1" });

export async function errorTypeChecks(): Promise<void> {
  const byPath = await gc.GET("/api/v2/users/{userId}", { params: { path: { userId: "u" } } });
  const e1: GenesysApiError | undefined = byPath.error;
  const byName = await gc.call("getUser", { params: { path: { userId: "u" } } });
  const e2: GenesysApiError | undefined = byName.error;
  const perms: readonly string[] | undefined = byName.error?.requiredPermissions?.permissions;
  void e1, e2, perms;
  // @ts-expect-error `error` is a GenesysApiError, not the spec's raw ErrorBody
  const raw: { limit?: unknown } & { status?: string } = byName.error!;
  void raw;
}
