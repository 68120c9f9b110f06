// Command line of `npm run simulator`: flags → SimulatorOptions, and the banner it prints.
// Not part of the `genesys-cloud-sdk/simulator` entry point (only scripts/simulator.ts imports it).
import { parseArgs } from "node:util";
import { ConfigurationError } from "../errors.js";
import { DEFAULT_CLIENT, DEFAULTS } from "./options.js";
import type { FaultKind, FaultRule, SimulatorOptions } from "./types.js";

export const CLI_DEFAULT_PORT = 4010;

export const USAGE = `Usage: npm run simulator -- [flags]
  --port <n>              port on 127.0.0.1 (default ${CLI_DEFAULT_PORT}; 0 = any free port)
  --limit <n>             fixed window: requests per window, per token (default 300)
  --window <s>            fixed window: window length in seconds (default 60)
  --bucket <n>            token bucket: capacity (selects the token bucket model)
  --refill <n>            token bucket: tokens added per second (default 1)
  --no-limit              no rate limit
  --ratelimit-headers     send inin-ratelimit-* headers (Genesys before 2021; default: none, as Genesys today)
  --no-ratelimit-headers  no inin-ratelimit-* headers (the default)
  --ttl <s>               token lifetime in seconds (default 86400)
  --latency <ms|min-max>  latency added to every /api/v2/ answer (default 0)
  --fault <spec>          a fault rule, repeatable (first that applies wins):
                            WHAT:ROUTE[:PROBABILITY][:EXTRA][:key=value...]
                            WHAT  = 429|500|502|503|504 | reset | malformed-json | processed-then-503 | latency
                            ROUTE = template or pattern with * ("" = every /api/v2/ route)
                            EXTRA = Retry-After seconds (status, processed-then-503) or ms (latency)
                            keys  = retryAfter, latencyMs, count, method, startMs, endMs
                            e.g. 503:/api/v2/flows/executions:0.2   429:/oauth/token:1:5   latency:/api/v2/users*:1:300
  --client <id:secret>    accepted OAuth client, repeatable (default ${DEFAULT_CLIENT.clientId}:${DEFAULT_CLIENT.clientSecret})
  --no-auth               do not require a bearer token on /api/v2/
  --users <n>             users behind /api/v2/users (default ${DEFAULTS.users})
  --conversations <n>     conversations behind /api/v2/conversations/messages (default ${DEFAULTS.conversations})
  --cursor-items <n>      items behind each cursor-paged listing (default ${DEFAULTS.cursorItems})
  --next-uri-origin <o>   origin written into listing links (default: relative links)
  --seed <n>              random seed for faults and latency (default ${DEFAULTS.seed})
  --job-ms <n>            async jobs: ms from submission to the end state (default ${DEFAULTS.jobs.processingMs})
  --job-results <n>       async jobs: result items of a finished job (default ${DEFAULTS.jobs.results})
  --job-fail <STATE[:msg]> async jobs end FAILED, CANCELLED or EXPIRED with that errorMessage
  --help                  this text`;

export interface CliArgs {
  help: boolean;
  options: SimulatorOptions;
}

/** Parses the flags; bad values throw a ConfigurationError naming the flag. */
export function parseSimulatorArgs(argv: string[]): CliArgs {
  let values;
  try {
    ({ values } = parseArgs({
      args: argv,
      strict: true,
      allowPositionals: false,
      options: {
        port: { type: "string" },
        limit: { type: "string" },
        window: { type: "string" },
        bucket: { type: "string" },
        refill: { type: "string" },
        "no-limit": { type: "boolean" },
        "no-ratelimit-headers": { type: "boolean" },
        "ratelimit-headers": { type: "boolean" },
        ttl: { type: "string" },
        latency: { type: "string" },
        fault: { type: "string", multiple: true },
        client: { type: "string", multiple: true },
        "no-auth": { type: "boolean" },
        users: { type: "string" },
        conversations: { type: "string" },
        "cursor-items": { type: "string" },
        "next-uri-origin": { type: "string" },
        seed: { type: "string" },
        "job-ms": { type: "string" },
        "job-results": { type: "string" },
        "job-fail": { type: "string" },
        help: { type: "boolean" },
      },
    }));
  } catch (error) {
    throw new ConfigurationError(`${(error as Error).message}\n${USAGE}`);
  }
  const options: SimulatorOptions = { port: num("--port", values.port) ?? CLI_DEFAULT_PORT };
  const windowFlags = values.limit !== undefined || values.window !== undefined;
  const bucketFlags = values.bucket !== undefined || values.refill !== undefined;
  if ([windowFlags, bucketFlags, values["no-limit"] === true].filter(Boolean).length > 1) {
    throw new ConfigurationError("Choose one rate limit: --limit/--window (fixed window), --bucket/--refill (token bucket) or --no-limit");
  }
  if (values["no-limit"]) options.rateLimit = false;
  if (windowFlags)
    options.rateLimit = { model: "fixed-window", limit: num("--limit", values.limit) ?? 300, windowSeconds: num("--window", values.window) ?? 60 };
  if (bucketFlags)
    options.rateLimit = { model: "token-bucket", capacity: num("--bucket", values.bucket) ?? 20, refillPerSecond: num("--refill", values.refill) ?? 1 };
  if (values["ratelimit-headers"] && values["no-ratelimit-headers"])
    throw new ConfigurationError("Choose one of --ratelimit-headers and --no-ratelimit-headers");
  if (values["no-ratelimit-headers"]) options.rateLimitHeaders = false;
  if (values["ratelimit-headers"]) options.rateLimitHeaders = true;
  if (values.ttl !== undefined) options.tokenTtlSeconds = num("--ttl", values.ttl);
  if (values.latency !== undefined) options.latencyMs = latency(values.latency);
  if (values.fault) options.faults = values.fault.map(parseFaultSpec);
  if (values.client) options.clients = values.client.map(client);
  if (values["no-auth"]) options.requireAuth = false;
  if (values.users !== undefined) options.users = num("--users", values.users);
  if (values.conversations !== undefined) options.conversations = num("--conversations", values.conversations);
  if (values["cursor-items"] !== undefined) options.cursorItems = num("--cursor-items", values["cursor-items"]);
  if (values["next-uri-origin"] !== undefined) options.nextUriOrigin = values["next-uri-origin"];
  if (values.seed !== undefined) options.seed = num("--seed", values.seed);
  const [failState, ...failMessage] = values["job-fail"]?.split(":") ?? [];
  const jobs = { processingMs: num("--job-ms", values["job-ms"]), results: num("--job-results", values["job-results"]) };
  const failure = failState === undefined ? {} : { failure: { state: failState.toUpperCase() as "FAILED", message: failMessage.join(":") || undefined } };
  if (values["job-ms"] ?? values["job-results"] ?? values["job-fail"]) options.jobs = { ...jobs, ...failure };
  return { help: values.help === true, options };
}

const KINDS: readonly FaultKind[] = ["status", "reset", "malformed-json", "processed-then-503", "latency"];
const NUMERIC_KEYS = new Set(["retryAfter", "latencyMs", "count", "startMs", "endMs"]);

/** `503:/api/v2/flows/executions:0.2`, `429:/oauth/token:1:5`, `latency:/api/v2/users*:1:300:count=10`. */
export function parseFaultSpec(spec: string): FaultRule {
  const [what = "", route = "", ...rest] = spec.split(":");
  const rule: FaultRule = /^\d+$/.test(what) ? { kind: "status", status: Number(what) } : { kind: what as FaultKind };
  if (!KINDS.includes(rule.kind) || (rule.kind === "status" && !/^\d+$/.test(what))) {
    throw new ConfigurationError(
      `--fault "${spec}": WHAT must be a status (429, 500, 502, 503, 504) or one of reset, malformed-json, processed-then-503, latency`,
    );
  }
  if (route) rule.route = route;
  const positional: string[] = [];
  for (const part of rest) {
    const keyValue = /^([A-Za-z]+)=(.*)$/.exec(part);
    if (!keyValue) {
      positional.push(part);
      continue;
    }
    const [, key, value] = keyValue;
    if (key === "method") rule.method = value.toUpperCase();
    else if (NUMERIC_KEYS.has(key)) setNumeric(rule, key, num(`--fault "${spec}" ${key}`, value));
    else throw new ConfigurationError(`--fault "${spec}": unknown key "${key}" (known: method, ${[...NUMERIC_KEYS].join(", ")})`);
  }
  if (positional.length > 2) throw new ConfigurationError(`--fault "${spec}": expected WHAT:ROUTE[:PROBABILITY][:EXTRA][:key=value...]`);
  const [probability, extra] = positional;
  if (probability) rule.probability = num(`--fault "${spec}" probability`, probability);
  if (extra)
    setNumeric(
      rule,
      rule.kind === "latency" ? "latencyMs" : "retryAfter",
      num(`--fault "${spec}" ${rule.kind === "latency" ? "latency ms" : "Retry-After"}`, extra),
    );
  return rule;
}

function setNumeric(rule: FaultRule, key: string, value: number | undefined): void {
  if (key === "startMs" || key === "endMs") rule.window = { ...rule.window, [key]: value };
  else (rule as unknown as Record<string, number | undefined>)[key] = value;
}

function num(flag: string, raw: string | undefined): number | undefined {
  if (raw === undefined) return undefined;
  const value = Number(raw);
  if (raw.trim() === "" || !Number.isFinite(value)) throw new ConfigurationError(`${flag} must be a number (got "${raw}")`);
  return value;
}

function latency(raw: string): number | [number, number] {
  const range = /^(\d+)-(\d+)$/.exec(raw);
  if (range) return [Number(range[1]), Number(range[2])];
  return num("--latency", raw) ?? 0;
}

function client(raw: string): { clientId: string; clientSecret: string } {
  const colon = raw.indexOf(":");
  if (colon <= 0 || colon === raw.length - 1) throw new ConfigurationError("--client must be <clientId>:<clientSecret>");
  return { clientId: raw.slice(0, colon), clientSecret: raw.slice(colon + 1) };
}

/** The banner: where it listens, how to log in, and what it will do to requests. */
export function describeSimulator(url: string, options: SimulatorOptions): string {
  const clients = options.clients ?? DEFAULTS.clients;
  const limit = options.rateLimit ?? DEFAULTS.rateLimit;
  const lines = [
    `Genesys simulator listening on ${url}`,
    `  API and login origin: ${url} (token: POST ${url}/oauth/token, grant_type=client_credentials, HTTP Basic)`,
    ...clients.map((c) => `  client id: ${c.clientId}   client secret: ${c.clientSecret}`),
    `  token lifetime: ${options.tokenTtlSeconds ?? DEFAULTS.tokenTtlSeconds} s; bearer required: ${options.requireAuth ?? DEFAULTS.requireAuth}`,
    `  rate limit per token: ${
      limit === false
        ? "none"
        : limit.model === "fixed-window"
          ? `fixed window, ${limit.limit} requests per ${limit.windowSeconds} s`
          : `token bucket, capacity ${limit.capacity}, refill ${limit.refillPerSecond}/s`
    }${(options.rateLimitHeaders ?? DEFAULTS.rateLimitHeaders) ? " (with inin-ratelimit-* headers)" : " (no inin-ratelimit-* headers, as Genesys today)"}`,
    `  latency: ${JSON.stringify(options.latencyMs ?? 0)} ms; seed ${options.seed ?? DEFAULTS.seed}`,
    `  async jobs: ${options.jobs?.processingMs ?? DEFAULTS.jobs.processingMs} ms, ${options.jobs?.results ?? DEFAULTS.jobs.results} results${
      options.jobs?.failure ? `, ending ${options.jobs.failure.state}` : ""
    }`,
    `  faults:${options.faults?.length ? "" : " none"}`,
    ...(options.faults ?? []).map((f) => `    ${JSON.stringify(f)}`),
    "Ctrl+C to stop.",
  ];
  return lines.join("\n");
}
