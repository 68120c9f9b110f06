// `npx tsx bench/notifications.ts [--runs 3] [--seconds 30] [--record]`: the notifications scenario against
// the simulator — a drop every 2 s, socket_closing every 5 s, channel expiry after 10 s, 50 events a second on 5
// topics — run several times; prints each run's check and the medians of the reconnection times (simulator's
// record). `--record` also writes the figures into bench/latest.json and the README.
import { main, type QueueEventsResult } from "../examples/queue-events.js";
import { writeReadme } from "./readme.js";
import { commandLine, runInfo, updateRecord } from "./record.js";
import { median } from "./stats.js";
import { numberFlag } from "./flags.js";

const arg = (name: string, def: number) => {
  const i = process.argv.indexOf(`--${name}`);
  return i === -1 ? def : numberFlag(name, process.argv[i + 1], { min: 1 });
};
const runs = arg("runs", 3);
const seconds = arg("seconds", 30);
const run = runInfo(commandLine("npx tsx bench/notifications.ts"), "full", runs);
const results: QueueEventsResult[] = [];
for (let i = 0; i < runs; i++) {
  const r = await main({ seconds, rate: 50, queues: 5, dropEveryMs: 2_000, closingEveryMs: 5_000, expireAfterMs: 10_000, view: false });
  results.push(r);
  process.stderr.write(`[bench] run ${i + 1}/${runs}: ${JSON.stringify(r)}\n`);
}
const ok = results.every((r) => r.missing === 0 && r.duplicates === 0 && r.lostOutsideGaps === 0 && r.intervalsWithoutGap === 0 && r.subscriptionsIntact);
console.log(
  JSON.stringify(
    {
      runs,
      seconds,
      allChecksPassed: ok,
      reconnectMsMedian: median(results.map((r) => r.reconnectMs.median)),
      reconnectMsMaxWorst: Math.max(...results.map((r) => r.reconnectMs.max)),
      disconnectedIntervalsMedian: median(results.map((r) => r.disconnectedIntervals)),
      rolloversMedian: median(results.map((r) => r.rollovers)),
      leaks: results.map((r) => r.leaks),
    },
    null,
    2,
  ),
);
if (process.argv.includes("--record")) {
  const sum = (pick: (r: QueueEventsResult) => number) => results.reduce((n, r) => n + pick(r), 0);
  updateRecord({
    notifications: {
      run,
      runs,
      seconds,
      allChecksPassed: ok,
      dropsPerRun: results.map((r) => r.disconnects.dropped ?? 0),
      reconnectMsMedian: median(results.map((r) => r.reconnectMs.median)),
      reconnectMsMaxWorst: Math.max(...results.map((r) => r.reconnectMs.max)),
      rolloversPerRun: results.map((r) => r.rollovers),
      missing: sum((r) => r.missing),
      duplicates: sum((r) => r.duplicates),
      lostOutsideGaps: sum((r) => r.lostOutsideGaps),
      intervalsWithoutGap: sum((r) => r.intervalsWithoutGap),
      leftOpen: { sockets: sum((r) => r.leaks.sockets), timers: sum((r) => r.leaks.timers) },
    },
  });
  process.stderr.write(`[bench] recorded in bench/latest.json; ${writeReadme() ? "README.md figures rewritten" : "README.md figures unchanged"}\n`);
}
if (!ok) process.exitCode = 1;
