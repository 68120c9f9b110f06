// How big the package is, measured as the budgets are stated: shared by `npm run check:package` (check-size.ts)
// and `npm run bench` (bench/size.ts).
// - Core: what a bundler ships for `import { createGenesysClient } from "genesys-cloud-sdk"`: esbuild, bundled
//   with its dependencies, minified, ESM, browser platform, code splitting on; the entry chunk and the chunks it
//   imports statically, gzip level 9. Chunks loaded with import() (the operation table, the pager) are listed
//   apart: they are fetched only when used.
// - Package: `npm pack`'s unpacked size of the files that would be published.
import { execFileSync } from "node:child_process";
import { mkdirSync, writeFileSync } from "node:fs";
import { basename, join } from "node:path";
import { fileURLToPath } from "node:url";
import { gzipSync } from "node:zlib";
import { build } from "esbuild";

export const REPO = fileURLToPath(new URL("..", import.meta.url));

/**
 * Budgets, in decimal units (1 kB = 1,000 bytes, 1 MB = 10^6 bytes); `npm run check:package` fails above any of them.
 * `coreGzipBytes` (issue 17): what loads with `createGenesysClient`. `firstCallGzipBytes` guards what a client with
 * client credentials has loaded once its first call is under way (core, call stack, token flow), ~6 % over today's,
 * so that moving code out of the core cannot hide growth.
 */
export const BUDGETS = { coreGzipBytes: 15_000, firstCallGzipBytes: 30_000, unpackedBytes: 20_000_000 } as const;

export interface ChunkSize {
  file: string;
  minBytes: number;
  gzipBytes: number;
}

export interface CoreSize {
  /** The entry and its static imports, concatenated (what loads before the first call). */
  core: ChunkSize & { files: string[]; inputs: number };
  /** The core, the call stack and the token flow: a client-credentials client's first call (each chunk once). */
  firstCall: ChunkSize;
  /** The parts loaded by import() on first use, each with the shared chunks it needs that the core lacks. */
  lazy: ChunkSize[];
}

const gz = (bytes: Uint8Array) => gzipSync(bytes, { level: 9 }).length;

/** Core bundle of `code` (default: the createGenesysClient import), resolved from the repository as a user's project would resolve it. */
export async function coreSize(code = 'export { createGenesysClient } from "genesys-cloud-sdk";\n'): Promise<CoreSize> {
  const dir = join(REPO, "bench", ".work", "size");
  mkdirSync(dir, { recursive: true });
  writeFileSync(join(REPO, "bench", ".work", ".gitignore"), "*\n");
  const entry = join(dir, "entry.js");
  writeFileSync(entry, code);
  const result = await build({
    entryPoints: [entry],
    bundle: true,
    minify: true,
    format: "esm",
    platform: "browser",
    splitting: true,
    outdir: join(dir, "out"),
    write: false,
    metafile: true,
    logLevel: "silent",
    // The repository's tsconfig maps "genesys-cloud-sdk" to src/; a user resolves it to the package (dist/).
    tsconfigRaw: {},
  });
  const bytesOf = new Map(result.outputFiles.map((f) => [basename(f.path), f.contents]));
  const outputs = Object.entries(result.metafile.outputs).filter(([name]) => !name.endsWith(".map"));
  const [entryName] = outputs.find(([, o]) => o.entryPoint?.endsWith("entry.js"))!;
  // A chunk and its static imports, transitively, leaving out those in `outside`.
  const closure = (start: string, outside: string[] = []) => {
    const files = [start];
    for (let i = 0; i < files.length; i++)
      for (const imp of result.metafile.outputs[files[i]!]!.imports)
        if (imp.kind === "import-statement" && !files.includes(imp.path) && !outside.includes(imp.path)) files.push(imp.path);
    return files;
  };
  // Everything that loads before the first call.
  const staticFiles = closure(entryName);
  const core = Buffer.concat(staticFiles.map((f) => bytesOf.get(basename(f))!));
  const inputs = new Set(staticFiles.flatMap((f) => Object.keys(result.metafile.outputs[f]!.inputs)));
  // Each part loaded with import(), with the shared chunks it imports that the core lacks (so parts may overlap).
  const parts = new Set(outputs.flatMap(([, o]) => o.imports.filter((i) => i.kind === "dynamic-import").map((i) => i.path)));
  const lazyClosure = (name: string) => closure(name, staticFiles);
  const lazy = [...parts]
    .filter((name) => !staticFiles.includes(name))
    .map((name) => {
      const bytes = Buffer.concat(lazyClosure(name).map((f) => bytesOf.get(basename(f))!));
      return { file: basename(name), minBytes: bytes.length, gzipBytes: gz(bytes) };
    });
  // What a client with client credentials has loaded once its first call is under way: the core, the call stack
  // and the token flow, each shared chunk once.
  const firstCallParts = [...parts].filter((name) => /^(call-stack|token-flow)-/.test(basename(name)));
  const firstCallFiles = [...new Set(staticFiles.concat(firstCallParts.flatMap(lazyClosure)))];
  const firstCallBytes = Buffer.concat(firstCallFiles.map((f) => bytesOf.get(basename(f))!));
  return {
    firstCall: { file: firstCallParts.map((f) => basename(f)).join(" + "), minBytes: firstCallBytes.length, gzipBytes: gz(firstCallBytes) },
    core: { file: basename(entryName), files: staticFiles.map((f) => basename(f)), minBytes: core.length, gzipBytes: gz(core), inputs: inputs.size },
    lazy,
  };
}

export interface PackSize {
  /** Bytes of the published files, unpacked. */
  unpackedBytes: number;
  /** Bytes of the .tgz. */
  packedBytes: number;
  files: number;
  /** The largest published files. */
  largest: { path: string; bytes: number }[];
}

/** `npm pack --dry-run` of the repository as it is (dist/ must be built). */
export function packSize(): PackSize {
  const out = execFileSync("npm", ["pack", "--dry-run", "--json", "--ignore-scripts"], { cwd: REPO, encoding: "utf8", stdio: ["ignore", "pipe", "ignore"] });
  const [info] = JSON.parse(out) as { unpackedSize: number; size: number; entryCount: number; files: { path: string; size: number }[] }[];
  const largest = [...info!.files]
    .sort((a, b) => b.size - a.size)
    .slice(0, 5)
    .map((f) => ({ path: f.path, bytes: f.size }));
  return { unpackedBytes: info!.unpackedSize, packedBytes: info!.size, files: info!.entryCount, largest };
}
