// `npx genesys-cloud-sdk generate --spec <file|url> --out <dir>`: consumer-side generation. Users who need a newer
// spec (or preview APIs) than the one the SDK was published with generate their own `paths` and `routes` types and
// pass them to `createGenesysClient<paths, routes>(…)`; auth, resilience and pagination are independent of the spec
// and work unchanged.
import { resolve } from "node:path";
import { parseArgs } from "node:util";
import { generate, MissingGeneratorError } from "./generate.js";
import { loadSpec, SpecSourceError } from "./spec-source.js";

export interface CliIo {
  log: (line: string) => void;
  error: (line: string) => void;
  /** fetch for `--spec <url>`. Default `globalThis.fetch`. */
  fetch?: typeof globalThis.fetch;
}

export const USAGE = `Usage: genesys-cloud-sdk generate --spec <file|url> --out <dir>

  --spec <file|url>  a Genesys Cloud Platform API Swagger 2.0 spec: a file, or a URL such as
                     https://api.mypurecloud.com/api/v2/docs/swagger
  --out <dir>        folder for paths.d.ts (types for createGenesysClient<paths, routes>), operation-map.d.ts,
                     operations.ts (the operation table) and paging.ts

Needs the generator packages next to genesys-cloud-sdk:
  npm install --save-dev swagger2openapi@^7.0.8 openapi-typescript@^7.13.0 typescript@^5.0.0`;

/** Runs the CLI; resolves to the exit code (0 ok, 1 error, 2 usage). */
export async function runCli(argv: string[], io: CliIo = { log: console.log, error: console.error }): Promise<number> {
  let parsed;
  try {
    parsed = parseArgs({
      args: argv,
      allowPositionals: true,
      options: { spec: { type: "string" }, out: { type: "string" }, help: { type: "boolean", short: "h" } },
    });
  } catch (error) {
    io.error(`${(error as Error).message}\n\n${USAGE}`);
    return 2;
  }
  const { positionals, values } = parsed;
  if (values.help || positionals.length === 0) {
    io.log(USAGE);
    return values.help ? 0 : 2;
  }
  if (positionals[0] !== "generate" || positionals.length > 1) {
    io.error(`Unknown command "${positionals.join(" ")}".\n\n${USAGE}`);
    return 2;
  }
  if (!values.spec || !values.out) {
    io.error(`generate needs ${!values.spec ? "--spec <file|url>" : "--out <dir>"}.\n\n${USAGE}`);
    return 2;
  }
  try {
    const spec = await loadSpec(values.spec, { fetch: io.fetch });
    const out = resolve(values.out);
    const result = await generate(spec.text, out, {
      source: spec.source,
      operationTypesFrom: "genesys-cloud-sdk",
      command: "npx genesys-cloud-sdk generate",
    });
    const { counts } = result;
    io.log(`genesys-cloud-sdk generate: ${counts.operations} operations, ${counts.paths} paths, ${counts.definitions} definitions from ${spec.source}`);
    for (const f of result.files) io.log(`  ${f.path}  ${(f.bytes / 1024).toFixed(0)} KiB`);
    io.log(`Use it: import type { paths, routes } from "<out>/paths.js"; createGenesysClient<paths, routes>({ … })`);
    return 0;
  } catch (error) {
    if (error instanceof SpecSourceError || error instanceof MissingGeneratorError) io.error(error.message);
    else io.error(`genesys-cloud-sdk generate failed: ${(error as Error).message}`);
    return 1;
  }
}
