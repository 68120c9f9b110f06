import { defineConfig, type Options } from "tsup";

// Entries: the SDK (`index`), `genesys-cloud-sdk/operations` (the operation table and its lookups, which the SDK
// loads with import() on first use), `genesys-cloud-sdk/simulator` (Node-only, node:http), `genesys-cloud-sdk/redis`
// (Node-only, needs the optional peer ioredis) and the `genesys-cloud-sdk generate` CLI (its shebang comes from
// src/cli.ts's first line). src/index.ts imports none of them statically.
const entry = {
  index: "src/index.ts",
  operations: "src/operations/index.ts",
  cli: "src/cli.ts",
  simulator: "src/simulator/index.ts",
  redis: "src/redis/index.ts",
};
const common: Options = {
  entry,
  sourcemap: true,
  target: "es2022",
  platform: "neutral",
  // Runtime dependencies stay external: a bundler dedupes them; Node resolves them from node_modules. The
  // generated types stay out of the bundled declarations: scripts/dist-types.mjs ships them once, as
  // dist/generated/{paths,operation-map}.d.cts, which the .d.ts and .d.cts entries both import.
  external: ["openapi-fetch", "cockatiel", "ioredis", "ws", /generated\/(paths|operation-map)\.js$/],
};

// `npm run build` empties dist/ first (both configs run at once, so neither may clean it).
export default defineConfig([
  {
    ...common,
    // ESM is split: what `import()` loads lazily (the operation table for gc.call and the 403 hint, the pager)
    // becomes its own chunk, so the core bundle does not carry it; code shared by the entries becomes a chunk too.
    format: ["esm"],
    splitting: true,
    // Declarations are built once (for ESM); scripts/dist-types.mjs derives the .d.cts files from them.
    // @internal members (e.g. gc.transport) are left out.
    dts: { compilerOptions: { stripInternal: true } },
  },
  {
    ...common,
    // CJS is not split (tsup's CJS splitting is experimental): each entry is one file, and a lazy `import()`
    // becomes an in-file module evaluated on first use.
    format: ["cjs"],
    splitting: false,
  },
]);
