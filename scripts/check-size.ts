// npm run check:package (after build): fails when the core bundle or the package is over budget.
// How each is measured, and the budgets: scripts/package-size.ts.
import { BUDGETS, coreSize, packSize } from "./package-size.js";

const kB = (bytes: number) => `${(bytes / 1000).toFixed(1)} kB`;
const MB = (bytes: number) => `${(bytes / 1e6).toFixed(1)} MB`;

const { core, lazy } = await coreSize();
const pack = packSize();
const coreOk = core.gzipBytes <= BUDGETS.coreGuardGzipBytes;
const coreTarget = core.gzipBytes <= BUDGETS.coreGzipBytes ? "met" : "not met";
const packOk = pack.unpackedBytes <= BUDGETS.unpackedBytes;
console.log(
  `size core: ${kB(core.gzipBytes)} min+gz (${kB(core.minBytes)} min, ${core.files.length} chunk(s), ${core.inputs} input files) — target ${kB(BUDGETS.coreGzipBytes)}: ${coreTarget}; guard ${kB(BUDGETS.coreGuardGzipBytes)}: ${coreOk ? "ok" : "OVER"}`,
);
for (const c of lazy) console.log(`  loaded on first use: ${c.file} ${kB(c.gzipBytes)} min+gz`);
console.log(
  `size package: ${MB(pack.unpackedBytes)} unpacked (${MB(pack.packedBytes)} packed, ${pack.files} files) — budget ${MB(BUDGETS.unpackedBytes)}: ${packOk ? "ok" : "OVER"}`,
);
for (const f of pack.largest) console.log(`  ${f.path} ${MB(f.bytes)}`);
if (!coreOk || !packOk) process.exitCode = 1;
