// `npm run simulator`: flag parsing, and the real script started as a child process.
import { spawn } from "node:child_process";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { CLI_DEFAULT_PORT, describeSimulator, parseFaultSpec, parseSimulatorArgs } from "../../src/simulator/cli-args.js";
import { ConfigurationError } from "../../src/simulator/index.js";

describe("parseSimulatorArgs", () => {
  it("maps the documented flags to options", () => {
    const { help, options } = parseSimulatorArgs([
      "--port",
      "0",
      "--bucket",
      "20",
      "--refill",
      "200",
      "--ttl",
      "3600",
      "--latency",
      "5-15",
      "--fault",
      "503:/api/v2/flows/executions:0.2",
      "--fault",
      "latency:/api/v2/users*:1:300:count=3",
      "--client",
      "a:b:c",
      "--no-auth",
      "--users",
      "40",
      "--cursor-items",
      "30",
      "--seed",
      "9",
      "--next-uri-origin",
      "https://x.example.com",
    ]);
    expect(help).toBe(false);
    expect(options).toEqual({
      port: 0,
      rateLimit: { model: "token-bucket", capacity: 20, refillPerSecond: 200 },
      tokenTtlSeconds: 3600,
      latencyMs: [5, 15],
      faults: [
        { kind: "status", status: 503, route: "/api/v2/flows/executions", probability: 0.2 },
        { kind: "latency", route: "/api/v2/users*", probability: 1, latencyMs: 300, count: 3 },
      ],
      clients: [{ clientId: "a", clientSecret: "b:c" }],
      requireAuth: false,
      users: 40,
      cursorItems: 30,
      seed: 9,
      nextUriOrigin: "https://x.example.com",
    });
    expect(parseSimulatorArgs(["--limit", "50"]).options).toEqual({
      port: CLI_DEFAULT_PORT,
      rateLimit: { model: "fixed-window", limit: 50, windowSeconds: 60 },
    });
    expect(parseSimulatorArgs(["--no-limit"]).options.rateLimit).toBe(false);
    expect(parseSimulatorArgs(["--no-ratelimit-headers"]).options).toEqual({ port: CLI_DEFAULT_PORT, rateLimitHeaders: false });
    expect(parseSimulatorArgs(["--ratelimit-headers"]).options).toEqual({ port: CLI_DEFAULT_PORT, rateLimitHeaders: true });
    expect(parseSimulatorArgs([]).options.rateLimitHeaders).toBeUndefined();
    expect(parseSimulatorArgs(["--help"]).help).toBe(true);
  });

  it("parses every fault form", () => {
    expect(parseFaultSpec("500::0.5")).toEqual({ kind: "status", status: 500, probability: 0.5 });
    expect(parseFaultSpec("429:/oauth/token:1:5")).toEqual({ kind: "status", status: 429, route: "/oauth/token", probability: 1, retryAfter: 5 });
    expect(parseFaultSpec("reset:/api/v2/users")).toEqual({ kind: "reset", route: "/api/v2/users" });
    expect(parseFaultSpec("processed-then-503:/api/v2/flows/executions:0.1:2:method=post")).toEqual({
      kind: "processed-then-503",
      route: "/api/v2/flows/executions",
      probability: 0.1,
      retryAfter: 2,
      method: "POST",
    });
    expect(parseFaultSpec("502:*:startMs=1000:endMs=5000")).toEqual({ kind: "status", status: 502, route: "*", window: { startMs: 1000, endMs: 5000 } });
  });

  it.each([
    [["--fault", "teapot:/x"], /WHAT must be a status/],
    [["--fault", "503:/x:often"], /probability must be a number/],
    [["--fault", "503:/x:1:2:3"], /expected WHAT:ROUTE/],
    [["--fault", "503:/x:colour=red"], /unknown key "colour"/],
    [["--limit", "10", "--bucket", "5"], /Choose one rate limit/],
    [["--port", "abc"], /--port must be a number/],
    [["--client", "nosecret"], /--client must be <clientId>:<clientSecret>/],
    [["--verbose"], /Unknown option '--verbose'/],
  ])("rejects %j with a ConfigurationError", (argv, message) => {
    expect(() => parseSimulatorArgs(argv)).toThrow(ConfigurationError);
    expect(() => parseSimulatorArgs(argv)).toThrow(message);
  });

  it("--job-ms, --job-results and --job-fail set the async jobs' behaviour", () => {
    expect(parseSimulatorArgs(["--job-ms", "3000", "--job-results", "2500"]).options.jobs).toEqual({ processingMs: 3000, results: 2500 });
    expect(parseSimulatorArgs(["--job-fail", "expired:Results: gone"]).options.jobs).toMatchObject({ failure: { state: "EXPIRED", message: "Results: gone" } });
    expect(describeSimulator("http://127.0.0.1:4010", parseSimulatorArgs(["--job-fail", "FAILED"]).options)).toContain(
      "async jobs: 1000 ms, 100 results, ending FAILED",
    );
    expect(() => parseSimulatorArgs(["--job-ms", "soon"])).toThrow(/--job-ms must be a number/);
  });

  it("describes the limits and faults in the banner", () => {
    const text = describeSimulator("http://127.0.0.1:4010", {
      rateLimit: { model: "fixed-window", limit: 300, windowSeconds: 60 },
      faults: [parseFaultSpec("503:/api/v2/flows/executions:0.2")],
    });
    expect(text).toContain("Genesys simulator listening on http://127.0.0.1:4010");
    expect(text).toContain("client id: sim-client   client secret: sim-secret");
    expect(text).toContain("fixed window, 300 requests per 60 s");
    expect(text).toContain('"route":"/api/v2/flows/executions"');
  });
});

describe("scripts/simulator.ts", () => {
  it("starts, prints URL, credentials and limits, serves, and stops cleanly on SIGINT", async () => {
    const script = fileURLToPath(new URL("../../scripts/simulator.ts", import.meta.url));
    const child = spawn(process.execPath, ["--import", "tsx", script, "--port", "0", "--limit", "5", "--window", "2", "--ratelimit-headers"], {
      stdio: ["ignore", "pipe", "pipe"],
    });
    let stdout = "";
    let stderr = "";
    child.stderr.on("data", (c: Buffer) => (stderr += c.toString()));
    const exited = new Promise<number | null>((resolve) => child.once("exit", resolve));
    try {
      const url = await new Promise<string>((resolve, reject) => {
        const guard = setTimeout(() => reject(new Error(`no URL printed: ${stdout} ${stderr}`)), 20_000);
        child.stdout.on("data", (c: Buffer) => {
          stdout += c.toString();
          const match = /listening on (http:\/\/127\.0\.0\.1:\d+)/.exec(stdout);
          if (match && stdout.includes("Ctrl+C")) {
            clearTimeout(guard);
            resolve(match[1]);
          }
        });
      });
      expect(stdout).toContain("fixed window, 5 requests per 2 s");
      const id = /client id: (\S+)/.exec(stdout)![1];
      const secret = /client secret: (\S+)/.exec(stdout)![1];
      const tokenResponse = await fetch(`${url}/oauth/token`, {
        method: "POST",
        headers: { authorization: `Basic ${Buffer.from(`${id}:${secret}`).toString("base64")}`, "content-type": "application/x-www-form-urlencoded" },
        body: "grant_type=client_credentials",
      });
      const { access_token: token } = (await tokenResponse.json()) as { access_token: string };
      const me = await fetch(`${url}/api/v2/users/me`, { headers: { authorization: `Bearer ${token}` } });
      expect(me.status).toBe(200);
      expect(me.headers.get("inin-ratelimit-allowed")).toBe("5");
      await me.text();
    } finally {
      child.kill("SIGINT");
    }
    expect(await exited).toBe(0);
    expect(stdout).toMatch(/SIGINT: stopping \(2 requests, 0 answered 429, 1 token requests/);
  });
});
