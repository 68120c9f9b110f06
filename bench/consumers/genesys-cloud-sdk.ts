// The 10-line consumer of the type-check benchmark (bench/typecheck.ts): get a user, list flows.
import { createGenesysClient } from "genesys-cloud-sdk";

const gc = createGenesysClient({ region: "eu_west_1", auth: { clientId: "id", clientSecret: "secret" } });

export async function main(userId: string): Promise<void> {
  const { data: user, error } = await gc.GET("/api/v2/users/{userId}", { params: { path: { userId } } });
  if (error) throw error;
  console.log(user.name, user.email);
  const { data: flows } = await gc.GET("/api/v2/flows", { params: { query: { pageSize: 25 } } });
  for (const flow of flows?.entities ?? []) console.log(flow.id, flow.name);
}
