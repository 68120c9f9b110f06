// The official Genesys SDK (purecloud-platform-client-v2), pointed at the simulator through its documented
// gateway setting — `setGateway({ protocol: "http", host: "127.0.0.1", port })` — which replaces both the API
// and the login origin (`Configuration.getConfUrl`). `setEnvironment` alone always builds `https://api.<env>`,
// so it cannot reach a plain-http loopback server; no patching of the package is needed.
import { createRequire } from "node:module";
import { userIdFor, type BenchClient } from "./types.js";

// The few members used here. Loaded with require so the project type-check does not read its 2.6 MB .d.ts.
interface OfficialApiClient {
  setEnvironment(environment: string): void;
  setPersistSettings(persist: boolean): void;
  setGateway(gateway: { host: string; protocol?: string; port?: number }): void;
  loginClientCredentialsGrant(clientId: string, clientSecret: string): Promise<unknown>;
  setAccessToken(token: string): void;
}
interface OfficialSdk {
  ApiClient: { instance: OfficialApiClient };
  UsersApi: new (apiClient?: OfficialApiClient) => { getUser(userId: string): Promise<unknown> };
}

export const OFFICIAL_PACKAGE = "purecloud-platform-client-v2";

export const loadOfficial = (): OfficialSdk => createRequire(import.meta.url)(OFFICIAL_PACKAGE) as OfficialSdk;

export const officialSdk: BenchClient = {
  id: "official",
  label: "official SDK (purecloud-platform-client-v2)",
  async create(target) {
    const platformClient = loadOfficial();
    const client = platformClient.ApiClient.instance; // a process-wide singleton: re-pointed for every run
    const { hostname, port } = new URL(target.url);
    client.setEnvironment("mypurecloud.com");
    client.setPersistSettings(false);
    client.setGateway({ protocol: "http", host: hostname, port: Number(port) });
    const notes = ["pointed at the simulator with ApiClient.setGateway({ protocol: 'http', host: '127.0.0.1', port })"];
    try {
      await client.loginClientCredentialsGrant("sim-client", "sim-secret");
      notes.push("auth: loginClientCredentialsGrant against the simulator's /oauth/token");
    } catch (error) {
      client.setAccessToken(target.token);
      notes.push(`auth: loginClientCredentialsGrant failed (${String((error as { status?: number }).status ?? error)}); used setAccessToken`);
    }
    const users = new platformClient.UsersApi(client);
    return {
      async call(i) {
        try {
          await users.getUser(userIdFor(target, i));
          return true;
        } catch {
          return false;
        }
      },
      retries: () => 0,
      notes,
    };
  },
};
