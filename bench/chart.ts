// Hand-written SVG line chart: successful calls completed over time, one polyline per client, plus the ideal
// line (the rate limit's floor). No chart dependency.

export interface ChartSeries {
  label: string;
  color: string;
  /** Completion times of successful calls, ms, ascending. */
  completions: readonly number[];
  /** When the last call settled, ms (the line runs flat to here when calls failed). */
  totalMs: number;
}

export interface ChartOptions {
  title: string;
  subtitle: string;
  n: number;
  /** Calls allowed at once, then `ratePerSecond`: the ideal line. */
  burst: number;
  ratePerSecond: number;
  /** When all N can be done at the earliest (default: burst then rate). A window's ideal is a staircase. */
  idealS?: number;
  series: readonly ChartSeries[];
}

export const CLIENT_COLORS: Record<string, string> = {
  sdk: "#1a9850",
  "sdk-off": "#91cf60",
  "openapi-fetch": "#313695",
  "raw-fetch": "#74add1",
  "naive-retry": "#d73027",
  official: "#984ea3",
  "seed2-fix": "#fdae61",
  bottleneck: "#4575b4",
  "aws-adaptive": "#f46d43",
};

const W = 960;
const PLOT_H = 480; // top of the chart to the x-axis labels; the legend goes below
const M = { left: 70, right: 24, top: 64, bottom: 56 };
const ROW = 18;
const esc = (s: string) => s.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;");

function niceStep(range: number, maxTicks: number): number {
  for (const step of [0.5, 1, 2, 5, 10, 20, 50, 100, 200, 500, 1000, 2000, 5000, 10000]) if (range / step <= maxTicks) return step;
  return range / maxTicks;
}

/** At most ~`max` points of the curve (seconds, completed), keeping the last. */
function curve(completions: readonly number[], totalMs: number, max = 600): [number, number][] {
  const points: [number, number][] = [[0, 0]];
  const every = Math.max(1, Math.ceil(completions.length / max));
  completions.forEach((t, i) => {
    if (i % every === 0 || i === completions.length - 1) points.push([t / 1000, i + 1]);
  });
  points.push([Math.max(totalMs / 1000, points[points.length - 1][0]), completions.length]);
  return points;
}

export function goodputChart(options: ChartOptions): string {
  const { title, subtitle, n, burst, ratePerSecond, series } = options;
  const idealS = options.idealS ?? Math.max(0, n - burst) / ratePerSecond;
  const xMaxRaw = Math.max(idealS * 1.1, ...series.map((s) => s.totalMs / 1000));
  const xStep = niceStep(xMaxRaw, 10);
  const xMax = Math.ceil(xMaxRaw / xStep) * xStep;
  const yStep = niceStep(n, 8);
  const yMax = Math.ceil(n / yStep) * yStep;
  const rows = [
    ...series.map((s) => ({
      color: s.color,
      dash: "",
      text: `${s.label}: ${s.completions.length}/${n} succeeded, last call settled at ${(s.totalMs / 1000).toFixed(1)} s`,
    })),
    { color: "#000", dash: "6 4", text: `ideal: burst ${burst}, then ${ratePerSecond}/s → all ${n} by ${idealS.toFixed(1)} s` },
  ];
  const H = PLOT_H + 16 + rows.length * ROW;
  const px = (s: number) => M.left + (s / xMax) * (W - M.left - M.right);
  const py = (c: number) => PLOT_H - M.bottom - (c / yMax) * (PLOT_H - M.top - M.bottom);
  const pts = (p: [number, number][]) => p.map(([s, c]) => `${px(s).toFixed(1)},${py(c).toFixed(1)}`).join(" ");

  const out: string[] = [];
  out.push(`<svg xmlns="http://www.w3.org/2000/svg" width="${W}" height="${H}" viewBox="0 0 ${W} ${H}" font-family="system-ui, sans-serif" font-size="12">`);
  out.push(`<rect width="${W}" height="${H}" fill="#fff"/>`);
  out.push(`<text x="${M.left}" y="24" font-size="16" font-weight="bold">${esc(title)}</text>`);
  out.push(`<text x="${M.left}" y="44" fill="#555">${esc(subtitle)}</text>`);
  for (let x = 0; x <= xMax + 1e-9; x += xStep) {
    out.push(`<line x1="${px(x)}" y1="${M.top}" x2="${px(x)}" y2="${PLOT_H - M.bottom}" stroke="#eee"/>`);
    out.push(`<text x="${px(x)}" y="${PLOT_H - M.bottom + 18}" text-anchor="middle">${Number(x.toFixed(2))}</text>`);
  }
  for (let y = 0; y <= yMax; y += yStep) {
    out.push(`<line x1="${M.left}" y1="${py(y)}" x2="${W - M.right}" y2="${py(y)}" stroke="#eee"/>`);
    out.push(`<text x="${M.left - 8}" y="${py(y) + 4}" text-anchor="end">${y}</text>`);
  }
  out.push(`<line x1="${M.left}" y1="${PLOT_H - M.bottom}" x2="${W - M.right}" y2="${PLOT_H - M.bottom}" stroke="#333"/>`);
  out.push(`<line x1="${M.left}" y1="${M.top}" x2="${M.left}" y2="${PLOT_H - M.bottom}" stroke="#333"/>`);
  out.push(`<text x="${(M.left + W - M.right) / 2}" y="${PLOT_H - 14}" text-anchor="middle">time since start (s)</text>`);
  out.push(`<text transform="translate(18 ${(M.top + PLOT_H - M.bottom) / 2}) rotate(-90)" text-anchor="middle">successful calls completed</text>`);

  const ideal: [number, number][] = [
    [0, Math.min(n, burst)],
    [idealS, n],
    [xMax, n],
  ];
  out.push(`<polyline points="${pts(ideal)}" fill="none" stroke="#000" stroke-width="1.5" stroke-dasharray="6 4"/>`);
  for (const s of series) {
    const points = curve(s.completions, s.totalMs);
    const [endX, endY] = points[points.length - 1];
    out.push(`<polyline points="${pts(points)}" fill="none" stroke="${s.color}" stroke-width="2.2" stroke-linejoin="round"/>`);
    // A dot where the client's last call settled: where a line stops short of the top, calls failed.
    out.push(`<circle cx="${px(endX).toFixed(1)}" cy="${py(endY).toFixed(1)}" r="3.5" fill="${s.color}"/>`);
  }

  // Legend below the plot, so it never hides a curve.
  rows.forEach((r, i) => {
    const y = PLOT_H + 12 + i * ROW;
    out.push(
      `<line x1="${M.left}" y1="${y - 4}" x2="${M.left + 26}" y2="${y - 4}" stroke="${r.color}" stroke-width="2.5"${r.dash ? ` stroke-dasharray="${r.dash}"` : ""}/>`,
    );
    out.push(`<text x="${M.left + 34}" y="${y}">${esc(r.text)}</text>`);
  });
  out.push(`</svg>`);
  return out.join("\n");
}
