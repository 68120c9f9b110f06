import { serverModel, simLimiter, simulate } from "/work/wt-rate-limits/test/support/limiter-sim.js";
const which = process.argv[2];
const limit = which === "c" ? { model: "fixed-window", limit: 300, windowSeconds: 60 } as const : which === "b" ? { model: "fixed-window", limit: 200, windowSeconds: 1 } as const : { model: "token-bucket", capacity: 20, refillPerSecond: 200 } as const;
const body = which === "c" ? { limit: { key: "token.rate.per.minute", namespace: "platform.api", value: 300 } } : undefined;
const { clock, limiter } = simLimiter();
let ok = 0, lim = 0, lastT = 0;
const rows: string[] = [];
const r = await simulate(clock, limiter, serverModel(limit), { n: which === "c" ? 650 : 1000, concurrency: 200, body }, (t, status, seq) => {
  if (status === 429) { rows.push(`t=${t.toFixed(1)} 429 seq=${seq} ok-so-far=${ok} pace=${limiter.snapshot().pace?.toFixed(1)}`); lim++; } else ok++;
  if (Math.floor(t / 250) !== Math.floor(lastT / 250)) rows.push(`t=${t.toFixed(0)} ok=${ok} pace=${limiter.snapshot().pace?.toFixed(1)} ${JSON.stringify(limiter.snapshot().limits)}`);
  lastT = t;
});
console.log(rows.slice(0, Number(process.argv[3] ?? 80)).join("\n"));
console.log(r);
