// Part of `npm run build`, around tsup: `clean` empties dist/ before it; without an argument, after it, ships the
// generated types once and gives the CommonJS entries their declarations.
// - src/generated/paths.d.ts (paths, components, operations, routes) and operation-map.d.ts (OperationMap)
//   become dist/generated/*.d.cts: one copy that both dist/*.d.ts and dist/*.d.cts import. `.d.cts` is
//   CommonJS-format, which ES modules and CommonJS modules can both import without a resolution-mode attribute.
// - tsup writes ESM declarations only (one declaration build instead of two); each .d.ts gets a .d.cts twin whose
//   relative imports name the .cjs twins, as tsup's CJS declarations would.
import { copyFileSync, existsSync, mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";

const root = new URL("..", import.meta.url).pathname;
const dist = join(root, "dist");

if (process.argv[2] === "clean") {
  rmSync(dist, { recursive: true, force: true });
  process.exit(0);
}

// The generated declarations tsup keeps external (tsup.config.ts).
const GENERATED = ["paths", "operation-map"];
mkdirSync(join(dist, "generated"), { recursive: true });
for (const name of GENERATED) {
  const file = join(root, "src/generated", `${name}.d.ts`);
  if (!existsSync(file)) throw new Error(`src/generated/${name}.d.ts is missing: run \`npm run generate\` first.`);
  copyFileSync(file, join(dist, "generated", `${name}.d.cts`));
}

const declarations = readdirSync(dist).filter((f) => f.endsWith(".d.ts"));
if (!declarations.includes("index.d.ts")) throw new Error("dist/index.d.ts is missing: run tsup first.");
const relativeImport = /(from\s+|import\()(['"])(\.\/[^'"]+)\.js\2/g;
let shared = 0;
for (const file of declarations) {
  const text = readFileSync(join(dist, file), "utf8");
  const toGenerated = (s) => s.replace(/(['"])\.\/generated\/(paths|operation-map)\.js\1/g, (_, q, name) => (shared++, `${q}./generated/${name}.cjs${q}`));
  const esm = toGenerated(text);
  writeFileSync(join(dist, file), esm);
  writeFileSync(
    join(dist, file.replace(/\.d\.ts$/, ".d.cts")),
    esm.replace(relativeImport, (_, head, q, path) => `${head}${q}${path}.cjs${q}`),
  );
}
if (!shared) throw new Error("no declaration imports ./generated/paths.js: did tsup inline the generated types?");
console.log(`dist-types: dist/generated/{${GENERATED.join(",")}}.d.cts, ${declarations.length} .d.cts twins`);
