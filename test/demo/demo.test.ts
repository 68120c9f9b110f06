// `npm run demo -- --json` as a user runs it: a child process, its JSON summary parsed.
import { execFile } from "node:child_process";
import { join } from "node:path";
import { promisify } from "node:util";
import { describe, expect, it } from "vitest";

const run = promisify(execFile);
const root = join(import.meta.dirname, "../..");

describe("npm run demo", () => {
  it("prints a JSON summary with 0 failed and 0 duplicates under the default storm", async () => {
    const { stdout } = await run(process.execPath, ["--import", "tsx", "demo/index.ts", "--json", "--calls", "300"], { cwd: root, timeout: 90_000 });
    const summary = JSON.parse(stdout);
    expect(summary).toMatchObject({ target: "simulator", calls: 300, succeeded: 300, failed: 0, duplicates: 0, tokensRequested: 1 });
    expect(summary.latencyMs.max).toBeGreaterThanOrEqual(summary.latencyMs.p95);
    expect(summary.latencyMs.p95).toBeGreaterThanOrEqual(summary.latencyMs.p50);
    expect(summary.idealSeconds).toBe(2); // 100 per 1 s window: the 3rd window opens at 2 s
    expect(summary.totalSeconds).toBeGreaterThan(0);
  }, 120_000);

  it("refuses a bad flag value with a clear message", async () => {
    await expect(run(process.execPath, ["--import", "tsx", "demo/index.ts", "--calls", "lots"], { cwd: root })).rejects.toMatchObject({
      stderr: expect.stringMatching(/--calls must be a positive number/),
    });
  });
});
