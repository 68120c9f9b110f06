import { defineConfig } from "tsup";

export default defineConfig({
  // cli: the `genesys-cloud-sdk generate` command (package.json "bin"); its shebang comes from src/cli.ts's first
  // line, which esbuild keeps for that entry only. Nothing in src/index.ts imports it.
  // simulator: `genesys-cloud-sdk/simulator`, Node-only (node:http); nothing in src/index.ts imports it either.
  // redis: `genesys-cloud-sdk/redis`, Node-only, needs the optional peer ioredis; nothing in src/index.ts imports it.
  entry: { index: "src/index.ts", cli: "src/cli.ts", simulator: "src/simulator/index.ts", redis: "src/redis/index.ts" },
  // Each entry self-contained: dist/index.* never imports a chunk shared with the CLI or the simulator.
  splitting: false,
  format: ["esm", "cjs"],
  dts: true,
  sourcemap: true,
  clean: true,
  target: "es2022",
  platform: "neutral",
  // Runtime dependencies stay external: a bundler dedupes them; Node resolves them from node_modules.
  external: ["openapi-fetch", "cockatiel", "ioredis"],
});
