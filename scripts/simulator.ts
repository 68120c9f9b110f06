// `npm run simulator -- --port 4010 --limit 300 --window 60 --fault 503:/api/v2/flows/executions:0.2 …`
// Starts the Genesys-like simulator, prints where it listens and what it does, stops cleanly on Ctrl+C / SIGTERM.
import { ConfigurationError } from "../src/errors.js";
import { describeSimulator, parseSimulatorArgs, USAGE } from "../src/simulator/cli-args.js";
import { startSimulator } from "../src/simulator/index.js";

async function main(): Promise<void> {
  const { help, options } = parseSimulatorArgs(process.argv.slice(2));
  if (help) {
    console.log(USAGE);
    return;
  }
  const sim = await startSimulator(options);
  console.log(describeSimulator(sim.url, options));
  const stop = (signal: string) => {
    const { requests, rateLimited, tokenRequests, maxInFlight } = sim.stats();
    console.log(`\n${signal}: stopping (${requests} requests, ${rateLimited} answered 429, ${tokenRequests} token requests, max ${maxInFlight} in flight)`);
    void sim.close().then(() => process.exit(0));
  };
  process.once("SIGINT", () => stop("SIGINT"));
  process.once("SIGTERM", () => stop("SIGTERM"));
}

main().catch((error: unknown) => {
  console.error(error instanceof ConfigurationError ? error.message : error);
  process.exit(2);
});
