import { fileURLToPath } from "node:url";
import { defineConfig } from "vitest/config";

const src = (file: string) => fileURLToPath(new URL(`./src/${file}`, import.meta.url));

export default defineConfig({
  // Examples import the package by name, as users do; inside the repo that name means src/.
  resolve: {
    alias: [
      { find: /^genesys-cloud-sdk\/simulator$/, replacement: src("simulator/index.ts") },
      { find: /^genesys-cloud-sdk\/operations$/, replacement: src("operations/index.ts") },
      { find: /^genesys-cloud-sdk$/, replacement: src("index.ts") },
    ],
  },
  test: {
    include: ["test/**/*.test.ts"],
    testTimeout: 30_000,
    hookTimeout: 60_000,
    // Two cores: keep workers few so timing-sensitive tests are not starved.
    maxWorkers: 2,
  },
});
