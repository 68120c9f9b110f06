// npm run check:package (after build): fails when the core bundle, the first call's bundle or the package is over budget.
// How each is measured, and the budgets: scripts/package-size.ts.
import { BUDGETS, coreSize, packSize } from "./package-size.js";

const kB = (bytes: number) => `${(bytes / 1000).toFixed(1)} kB`;
const MB = (bytes: number) => `${(bytes / 1e6).toFixed(1)} MB`;

const { core, lazy, firstCall } = await coreSize();
const pack = packSize();
const coreOk = core.gzipBytes <= BUDGETS.coreGzipBytes;
const firstCallOk = firstCall.gzipBytes <= BUDGETS.firstCallGzipBytes;
const packOk = pack.unpackedBytes <= BUDGETS.unpackedBytes;
console.log(
  `size core: ${kB(core.gzipBytes)} min+gz (${kB(core.minBytes)} min, ${core.files.length} chunk(s), ${core.inputs} input files) — budget ${kB(BUDGETS.coreGzipBytes)}: ${coreOk ? "ok" : "OVER"}`,
);
for (const c of lazy) console.log(`  loaded on first use: ${c.file} ${kB(c.gzipBytes)} min+gz (with the shared chunks it needs)`);
console.log(
  `size first call (core + ${firstCall.file}): ${kB(firstCall.gzipBytes)} min+gz — budget ${kB(BUDGETS.firstCallGzipBytes)}: ${firstCallOk ? "ok" : "OVER"}`,
);
console.log(
  `size package: ${MB(pack.unpackedBytes)} unpacked (${MB(pack.packedBytes)} packed, ${pack.files} files) — budget ${MB(BUDGETS.unpackedBytes)}: ${packOk ? "ok" : "OVER"}`,
);
for (const f of pack.largest) console.log(`  ${f.path} ${MB(f.bytes)}`);
if (!coreOk || !firstCallOk || !packOk) process.exitCode = 1;
