// Type-check cost: the same small consumer (get a user, list flows) against this SDK (its published .d.ts, via
// package self-reference) and against the official SDK's .d.ts: `tsc --noEmit` wall time and peak memory.
import { spawnSync } from "node:child_process";
import { mkdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { REPO_ROOT } from "./child.js";
import { median } from "./stats.js";

const SDK_CONSUMER = `import { createGenesysClient } from "genesys-cloud-sdk";

const gc = createGenesysClient({ region: "eu_west_1", auth: { clientId: "id", clientSecret: "secret" } });

export async function main(userId: string): Promise<void> {
  const { data: user, error } = await gc.GET("/api/v2/users/{userId}", { params: { path: { userId } } });
  if (error) throw error;
  console.log(user.name, user.email);
  const { data: flows } = await gc.GET("/api/v2/flows", { params: { query: { pageSize: 25 } } });
  for (const flow of flows?.entities ?? []) console.log(flow.id, flow.name);
}
`;

const OFFICIAL_CONSUMER = `import platformClient from "purecloud-platform-client-v2";

const client = platformClient.ApiClient.instance;
client.setEnvironment(platformClient.PureCloudRegionHosts.eu_west_1);

export async function main(userId: string): Promise<void> {
  await client.loginClientCredentialsGrant("id", "secret");
  const user = await new platformClient.UsersApi().getUser(userId);
  console.log(user.name, user.email);
  const flows = await new platformClient.ArchitectApi().getFlows({ pageSize: 25 });
  for (const flow of flows.entities ?? []) console.log(flow.id, flow.name);
}
`;

// What `tsc --init` gives a new project today (strict, nodenext, skipLibCheck), plus Node's types.
const TSCONFIG = {
  compilerOptions: { target: "es2022", module: "nodenext", moduleResolution: "nodenext", strict: true, skipLibCheck: true, noEmit: true, esModuleInterop: true, types: ["node"] },
  files: ["consumer.ts"],
};

export const WORK_DIR = join(REPO_ROOT, "bench", ".work");

export interface TypecheckResult {
  consumer: "sdk" | "official";
  ok: boolean;
  /** Median wall ms of `tsc --noEmit -p <dir>`. */
  wallMs: number;
  /** Median peak resident memory of the tsc process, MB. */
  peakRssMb: number;
  runs: number;
  errors?: string;
}

function writeConsumer(name: string, source: string): string {
  mkdirSync(WORK_DIR, { recursive: true });
  writeFileSync(join(WORK_DIR, ".gitignore"), "*\n"); // keeps the scratch dir out of git
  const dir = join(WORK_DIR, `typecheck-${name}`);
  mkdirSync(dir, { recursive: true });
  writeFileSync(join(dir, "consumer.ts"), source);
  writeFileSync(join(dir, "tsconfig.json"), JSON.stringify(TSCONFIG, null, 2));
  return dir;
}

function tscOnce(dir: string): { ok: boolean; wallMs: number; peakRssMb: number; output: string } {
  const tsc = join(REPO_ROOT, "node_modules", "typescript", "bin", "tsc");
  const t0 = performance.now();
  // GNU time reports the peak RSS of the tsc process ("Maximum resident set size (kbytes)").
  const child = spawnSync("/usr/bin/time", ["-v", process.execPath, tsc, "--noEmit", "-p", dir], { cwd: dir, encoding: "utf8", timeout: 300_000 });
  const wallMs = performance.now() - t0;
  const rss = /Maximum resident set size \(kbytes\): (\d+)/.exec(child.stderr)?.[1];
  const output = `${child.stdout}${child.stderr.replace(/\n\s*Command being timed:[\s\S]*$/, "")}`.trim();
  return { ok: /Exit status: 0/.test(child.stderr), wallMs, peakRssMb: rss ? Number(rss) / 1024 : Number.NaN, output };
}

export function runTypecheck(runs: number): TypecheckResult[] {
  const consumers = [
    ["sdk", SDK_CONSUMER],
    ["official", OFFICIAL_CONSUMER],
  ] as const;
  return consumers.map(([name, source]) => {
    const dir = writeConsumer(name, source);
    const samples = Array.from({ length: runs }, () => tscOnce(dir));
    const failed = samples.find((s) => !s.ok);
    return {
      consumer: name,
      ok: !failed,
      wallMs: median(samples.map((s) => s.wallMs)),
      peakRssMb: median(samples.map((s) => s.peakRssMb)),
      runs,
      ...(failed ? { errors: failed.output.slice(0, 2000) } : {}),
    };
  });
}
