// This SDK as shipped (the built `dist/`, imported by package name), with default options or `resilience: false`.
import type * as Sdk from "../../src/index.js";
import { userIdFor, type BenchClient, type BenchTarget, type ClientRun } from "./types.js";

// The built ESM entry by file URL (not the package name: tsx maps "genesys-cloud-sdk" to src/ through tsconfig
// "paths"). A variable specifier, so the project type-check keeps using the sources' types.
const SDK_ENTRY: string = new URL("../../dist/index.js", import.meta.url).href;

export const loadSdk = async (): Promise<typeof Sdk> => (await import(SDK_ENTRY)) as typeof Sdk;

/** A benchmark run over any SDK client: one typed GET per call, retries counted from the client's events. */
export function sdkRun(gc: Sdk.GenesysClient, target: BenchTarget, extra: Partial<ClientRun> = {}): ClientRun {
  let retries = 0;
  gc.on("retry", () => void retries++);
  return {
    async call(i) {
      try {
        const { error } = await gc.GET("/api/v2/users/{userId}", { params: { path: { userId: userIdFor(target, i) } } });
        return error === undefined;
      } catch {
        return false;
      }
    },
    retries: () => retries,
    notes: [],
    ...extra,
  };
}

async function createSdkRun(target: BenchTarget, resilience: false | undefined): Promise<ClientRun> {
  const { createGenesysClient } = await loadSdk();
  return sdkRun(createGenesysClient({ baseUrl: target.url, auth: { clientId: "sim-client", clientSecret: "sim-secret" }, resilience }), target);
}

export const sdkDefaults: BenchClient = {
  id: "sdk",
  label: "this SDK (defaults)",
  create: (target) => createSdkRun(target, undefined),
};

export const sdkNoResilience: BenchClient = {
  id: "sdk-off",
  label: "this SDK (resilience: false)",
  create: (target) => createSdkRun(target, false),
};
