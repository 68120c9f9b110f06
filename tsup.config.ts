import { defineConfig } from "tsup";

export default defineConfig({
  // simulator: `genesys-cloud-sdk/simulator`, Node-only (node:http); nothing in src/index.ts imports it.
  entry: { index: "src/index.ts", simulator: "src/simulator/index.ts" },
  format: ["esm", "cjs"],
  dts: true,
  sourcemap: true,
  clean: true,
  target: "es2022",
  platform: "neutral",
  // Runtime dependencies stay external: a bundler dedupes them; Node resolves them from node_modules.
  external: ["openapi-fetch", "cockatiel"],
});
