// Live progress while the demo runs: one redrawn line on a TTY, plain periodic lines otherwise.
import type { ResilienceStats } from "../src/index.js";

export interface ProgressSource {
  total: number;
  completed: () => number;
  failed: () => number;
  retries: () => number;
  absorbed429: () => number;
  stats: () => ResilienceStats;
}

function line(src: ProgressSource, elapsedMs: number): string {
  const s = src.stats();
  const breakers = Object.entries(s.breakers)
    .filter(([, state]) => state !== "closed")
    .map(([group, state]) => `${group}:${state}`);
  const paused = s.pausedUntil && s.pausedUntil > Date.now() ? ` paused ${Math.ceil((s.pausedUntil - Date.now()) / 100) / 10}s` : "";
  return (
    `${(elapsedMs / 1000).toFixed(1).padStart(5)}s  completed ${String(src.completed()).padStart(5)}/${src.total}` +
    `  in flight ${String(s.inFlight).padStart(3)}  queued ${String(s.queued).padStart(4)}` +
    `  429s absorbed ${String(src.absorbed429()).padStart(4)}  retries ${String(src.retries()).padStart(4)}` +
    `  failed ${src.failed()}  pace ${s.pace ? `${Math.round(s.pace)}/s` : "-"}${paused}` +
    `  breakers ${breakers.length ? breakers.join(",") : "all closed"}`
  );
}

/** Starts the display; returns a function that stops it (and prints the final line). */
export function startProgress(src: ProgressSource, out: NodeJS.WriteStream = process.stdout): () => void {
  const t0 = performance.now();
  const tty = Boolean(out.isTTY);
  const draw = () => {
    const text = line(src, performance.now() - t0);
    if (tty) out.write(`\r\x1b[2K${text.slice(0, Math.max(40, (out.columns ?? 160) - 1))}`);
    else out.write(`${text}\n`);
  };
  const timer = setInterval(draw, tty ? 100 : 1000);
  return () => {
    clearInterval(timer);
    draw();
    if (tty) out.write("\n");
  };
}
