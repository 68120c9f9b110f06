// Timers the SDK owns never keep a finished script alive: a process whose calls were aborted while waiting in a
// rate-limit pause exits by itself (before, the limiter's timer of up to 60 s held it).
import { spawn } from "node:child_process";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";

describe("process exit", () => {
  it("exits on its own after aborting calls that waited in a 429 pause", async () => {
    const script = fileURLToPath(new URL("./fixtures/abort-in-pause.ts", import.meta.url));
    const child = spawn(process.execPath, ["--import", "tsx", script], { stdio: ["ignore", "pipe", "pipe"] });
    let stdout = "";
    let stderr = "";
    child.stdout.on("data", (c: Buffer) => (stdout += c.toString()));
    child.stderr.on("data", (c: Buffer) => (stderr += c.toString()));
    // No wall-clock bound on how soon: the failure is "never exits", caught by a generous kill-timeout.
    let killed = false;
    const guard = setTimeout(() => ((killed = true), child.kill("SIGKILL")), 50_000);
    const code = await new Promise<number | null>((resolve) => child.once("exit", resolve));
    clearTimeout(guard);
    expect({ killed, stderr: code === 0 ? "" : stderr }).toEqual({ killed: false, stderr: "" });
    expect(code).toBe(0);
    expect(JSON.parse(stdout.trim().split("\n").pop()!)).toEqual({ first: 200, paused: true, aborted: ["AbortedError", "AbortedError"] });
  }, 60_000);
});
