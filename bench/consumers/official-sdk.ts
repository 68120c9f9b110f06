// The same consumer written with the official SDK (bench/typecheck.ts): get a user, list flows.
import platformClient from "purecloud-platform-client-v2";

const client = platformClient.ApiClient.instance;
client.setEnvironment(platformClient.PureCloudRegionHosts.eu_west_1);

export async function main(userId: string): Promise<void> {
  await client.loginClientCredentialsGrant("id", "secret");
  const user = await new platformClient.UsersApi().getUser(userId);
  console.log(user.name, user.email);
  const flows = await new platformClient.ArchitectApi().getFlows({ pageSize: 25 });
  for (const flow of flows.entities ?? []) console.log(flow.id, flow.name);
}
