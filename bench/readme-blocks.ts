// The README's figure blocks, rendered from the committed record (bench/latest.json). Each block says which run
// its figures come from; a section never measured renders as the command that would measure it.
import type { BenchRecord, ClientFigures, RunInfo, TargetFigure } from "./record.js";

const fixed = (v: number, d: number) => v.toLocaleString("en-US", { minimumFractionDigits: d, maximumFractionDigits: d });
const kB = (bytes: number) => `${fixed(bytes / 1000, 1)} kB`;
const MB = (bytes: number) => `${fixed(bytes / 1e6, 1)} MB`;
const pct = (share: number) => `${fixed(share * 100, 1)} %`;
const row = (cells: (string | number)[]) => `| ${cells.join(" | ")} |`;

/** "2026-12-02 07:31 UTC, `npm run bench -- --quick` (quick: 1 repeat), Node v20.20.2, 2 × AMD EPYC, load average 1.16 / 1.02 / 0.56" */
export function runLine(run: RunInfo): string {
  const when = `${run.date.slice(0, 10)} ${run.date.slice(11, 16)} UTC`;
  const repeats = run.mode === "quick" ? `quick: ${run.repeats} repeat, a rough figure` : run.repeats === 1 ? "1 run" : `${run.repeats} repeats, medians`;
  return `${when}, \`${run.command}\` (${repeats}), Node ${run.node}, ${run.cpus} × ${run.cpuModel}, load average ${run.loadAvg.map((l) => fixed(l, 2)).join(" / ")} at the start`;
}

const missing = (command: string) => [`_Not measured yet: run \`${command}\`._`];

function goodputCell(c: ClientFigures): string {
  if (c.failed) return `${c.succeeded} ok, ${c.failed} failed`;
  return `${c.succeeded} ok, ${fixed(c.totalS, 2)} s (${fixed(c.ratio, 2)}×), ${c.r429} × 429 (${pct(c.r429 / Math.max(1, c.attempts))})`;
}

function goodput(r: BenchRecord): string[] {
  const g = r.goodput;
  if (!g) return missing("npm run bench -- --only goodput");
  const plain = g.scenarios.filter((s) => !s.headers);
  const clients = plain[0]?.clients ?? [];
  const out = [
    `Goodput, measured ${runLine(g.run)}:`,
    "",
    row(["200 in flight, no quota headers", ...clients.map((c) => c.label)]),
    row(["---", ...clients.map(() => "---")]),
    ...plain.map((s) =>
      row([
        `${s.title}, ${s.n.toLocaleString("en-US")} calls (floor ${fixed(s.idealS, 1)} s)${s.run ? ` — from ${runLine(s.run)}` : ""}`,
        ...clients.map((c) => {
          const figures = s.clients.find((x) => x.client === c.client);
          return figures ? goodputCell(figures) : "–";
        }),
      ]),
    ),
  ];
  for (const s of g.scenarios.filter((x) => x.headers)) {
    out.push(
      "",
      `${s.title}, ${s.n.toLocaleString("en-US")} calls (floor ${fixed(s.idealS, 1)} s): ${s.clients.map((c) => `${c.label} ${goodputCell(c)}`).join("; ")}${s.run ? ` (from ${runLine(s.run)})` : ""}.`,
    );
  }
  return out;
}

function limiterSim(r: BenchRecord): string[] {
  const l = r.limiterSim;
  if (!l) return missing("npx tsx bench/limiter-sim.ts --seeds 7 --record");
  const parts = l.scenarios.map(
    (s) => `${s.name}: ${fixed(s.ratio, 3)} × the floor, ${pct(s.r429Share)} of attempts 429 (median ${s.r429Median}), ${s.failed} failed`,
  );
  return [`The limiter alone in simulated time, medians of ${l.seeds} seeds (${runLine(l.run)}): ${parts.join("; ")}.`];
}

function summary(r: BenchRecord): string[] {
  const { overhead: o, size: s, typecheck: t } = r;
  const tsc = (c: "sdk" | "official") => t?.consumers.find((x) => x.consumer === c);
  const [sdkTsc, officialTsc] = [tsc("sdk"), tsc("official")];
  const tscCell = (c: typeof sdkTsc, ratio = "") => (c ? (c.ok ? `${fixed(c.wallS, 2)} s, ${c.peakRssMb} MB peak${ratio}` : "does not compile") : "–");
  const out = [
    row(["", "this SDK", "official SDK"]),
    row(["---", "---", "---"]),
    o
      ? row([
          `Overhead per call (vs bare openapi-fetch ${o.bareUs} µs)`,
          `${o.sdkUs} µs (${fixed(o.ratio, 2)}×), heap growth ${fixed(o.heapGrowthMb, 2)} MB`,
          "–",
        ])
      : row(["Overhead per call", "–", "–"]),
    s
      ? row([
          "Core bundle (`createGenesysClient` + dependencies), min+gzip",
          `${kB(s.coreGzipBytes)} (budget ${kB(s.budgets.coreGzipBytes)})`,
          `${kB(s.official.webGzipBytes)} (web build)`,
        ])
      : row(["Core bundle, min+gzip", "–", "–"]),
    ...(s?.firstCallGzipBytes
      ? [
          row([
            "Loaded by the first call (core + call stack + token flow), min+gzip",
            `${kB(s.firstCallGzipBytes)}${s.budgets.firstCallGzipBytes ? ` (budget ${kB(s.budgets.firstCallGzipBytes)})` : ""}`,
            "–",
          ]),
        ]
      : []),
    s
      ? row([
          "Package, unpacked",
          `${MB(s.unpackedBytes)} (budget ${MB(s.budgets.unpackedBytes)})`,
          s.official.unpackedBytes ? MB(s.official.unpackedBytes) : "–",
        ])
      : row(["Package, unpacked", "–", "–"]),
    s ? row(["Cold `import()` in Node", `${s.importMs.sdk} ms`, `${s.importMs.official} ms`]) : row(["Cold `import()` in Node", "–", "–"]),
    row([
      `\`tsc --noEmit\` of the 10-line consumer${t ? `, medians of ${t.runs} interleaved runs` : ""}`,
      tscCell(sdkTsc, t?.wallRatio != null ? ` (${fixed(t.wallRatio, 2)}×)` : ""),
      tscCell(officialTsc),
    ]),
    "",
  ];
  const runs: [string, RunInfo | undefined, string][] = [
    ["overhead", o?.run, "npm run bench -- --only overhead"],
    ["size and start-up", s?.run, "npm run bench -- --only size"],
    ["type-check", t?.run, "npm run bench -- --only typecheck"],
  ];
  out.push(...runs.map(([name, run, command]) => `- ${name}: ${run ? runLine(run) : `not measured yet (\`${command}\`)`}`));
  return out;
}

function targets(r: BenchRecord): string[] {
  const all: (TargetFigure & { date?: string })[] = (["goodput", "overhead", "size", "typecheck"] as const).flatMap((k) =>
    (r[k]?.targets ?? []).map((t) => ({ ...t, date: r[k]?.run.date.slice(0, 10) })),
  );
  if (!all.length) return missing("npm run bench");
  const unmet = all.filter((t) => !t.met);
  return [
    row(["Target (this SDK)", "Goal", "Measured", "Met", "Run"]),
    row(["---", "---", "---", "---", "---"]),
    ...all.map((t) => row([t.name, t.target, t.value, t.met ? "yes" : "**no**", t.date ?? "–"])),
    "",
    unmet.length ? `Not met in these runs: ${unmet.map((t) => `${t.name} (${t.value}, goal ${t.target})`).join("; ")}.` : "Every target was met in these runs.",
  ];
}

function compare(r: BenchRecord): string[] {
  const { size: s, typecheck: t } = r;
  const tsc = (c: "sdk" | "official") => t?.consumers.find((x) => x.consumer === c);
  const wall = (c: "sdk" | "official") => (tsc(c)?.ok ? `${fixed(tsc(c)!.wallS, 2)} s` : "–");
  return [
    row(["Measured", "`purecloud-platform-client-v2`", "genesys-cloud-sdk"]),
    row(["---", "---", "---"]),
    s
      ? row([
          "Size / start-up",
          `${kB(s.official.webGzipBytes)} min+gz web build, ${s.official.unpackedBytes ? `${MB(s.official.unpackedBytes)} unpacked, ` : ""}${s.importMs.official} ms cold import`,
          `${kB(s.coreGzipBytes)} min+gz core${s.firstCallGzipBytes ? ` (${kB(s.firstCallGzipBytes)} once the first call is under way)` : ""}, ${MB(s.unpackedBytes)} unpacked, ${s.importMs.sdk} ms cold import`,
        ])
      : row(["Size / start-up", "–", "–"]),
    row(["Type-check of a small consumer", wall("official"), `${wall("sdk")}, every operation typed`]),
  ];
}

function packageSizes(r: BenchRecord): string[] {
  const s = r.size;
  if (!s) return missing("npm run bench -- --only size");
  const lazy = s.lazy.map((c) => `${c.file.replace(/(-[A-Z0-9]{8})+\.js$/, "")} ${kB(c.gzipBytes)}`).join(", ");
  const largest = s.largest.map((f) => `\`${f.path}\` ${MB(f.bytes)}`).join(", ");
  return [
    `Measured ${runLine(s.run)}: the core ${kB(s.coreGzipBytes)} min+gzip with its dependencies; loaded on first use (min+gzip, each with the shared chunks it needs): ${lazy}.`,
    ...(s.firstCallGzipBytes
      ? [
          `A client with client credentials has loaded ${kB(s.firstCallGzipBytes)} once its first call is under way (the core, the call stack and the token flow, each chunk once).`,
        ]
      : []),
    ...(s.octokit
      ? [
          `Side by side, bundled the same way: Octokit (\`@octokit/core\` with \`plugin-retry\` and \`plugin-throttling\`, how Octokit users meet rate limits) ${kB(s.octokit.gzipBytes)} min+gzip; the official SDK's web build ${kB(s.official.webGzipBytes)}.`,
        ]
      : []),
    `Unpacked, the package is ${MB(s.unpackedBytes)}${s.official.unpackedBytes ? ` (the official SDK ${s.official.version}: ${MB(s.official.unpackedBytes)})` : ""}; largest files: ${largest}.`,
  ];
}

function fleet(r: BenchRecord): string[] {
  const f = r.fleet;
  if (!f) return missing("npm run bench:fleet");
  const out = [
    `${f.processes} processes × ${f.callsPerProcess} calls, ${f.inFlight} in flight each, against one simulator whose token bucket (${f.rate}/s, burst ${f.burst}) counts every token of the OAuth client together, no quota headers; the floor is (${(f.processes * f.callsPerProcess).toLocaleString("en-US")} − ${f.burst}) ÷ ${f.rate} = ${fixed(f.floorS, 1)} s. ${f.runs === 1 ? "One run" : `Median of ${f.runs} runs`} per mode, measured ${runLine(f.run)}:`,
    "",
    row(["mode", "time", "÷ floor", "attempts", "429 share", "token requests", "failed calls", "coordinatorDown / Up"]),
    row(["---", "---", "---", "---", "---", "---", "---", "---"]),
    ...f.rows.map((x) =>
      row([
        x.mode,
        `${fixed(x.seconds, 1)} s`,
        `${fixed(x.seconds / f.floorS, 2)} ×`,
        x.attempts.toLocaleString("en-US"),
        pct(x.rateLimited / Math.max(1, x.attempts)),
        x.tokenRequests,
        x.failed,
        `${x.down} / ${x.up}`,
      ]),
    ),
  ];
  if (f.overhead) {
    out.push(
      "",
      `Coordination overhead per call on loopback Redis (one process, sequential calls, simulator with no limit or latency, medians of ${f.overhead.rounds} rounds of ${f.overhead.calls.toLocaleString("en-US")} calls; same run):`,
      "",
      row(["mode", "µs per call"]),
      row(["---", "---"]),
      ...f.overhead.rows.map((x) => row([x.mode, x.usPerCall.toLocaleString("en-US", { maximumFractionDigits: 0 })])),
    );
  }
  return out;
}

function notifications(r: BenchRecord): string[] {
  const n = r.notifications;
  if (!n) return missing("npx tsx bench/notifications.ts --runs 3 --record");
  return [
    `Measured ${runLine(n.run)}: ${n.runs} run${n.runs === 1 ? "" : "s"} of ${n.seconds} s; drops per run ${n.dropsPerRun.join(", ")}; connected again ${n.reconnectMsMedian} ms (median of the runs' medians) after the server closed the socket, ${n.reconnectMsMaxWorst} ms at worst, by the simulator's record; gapless replacements per run ${n.rolloversPerRun.join(", ")}; ${n.missing} events missing, ${n.duplicates} duplicates, ${n.lostOutsideGaps} lost outside a reported gap, ${n.intervalsWithoutGap} outages without a gap; left open after \`close()\`: ${n.leftOpen.sockets} sockets, ${n.leftOpen.timers} timers. All checks passed: ${n.allChecksPassed ? "yes" : "**no**"}.`,
  ];
}

/** Marker name → the block's lines (between `<!-- bench:name -->` and `<!-- /bench:name -->`). */
export const BLOCKS: Record<string, (r: BenchRecord) => string[]> = {
  goodput,
  "limiter-sim": limiterSim,
  summary,
  targets,
  compare,
  package: packageSizes,
  fleet,
  notifications,
};
