// spec:update as a function: get a new spec, check it, pin it, regenerate, and report what changed since the
// previous pin. Every location is a parameter, so tests run it against temp folders.
import { existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from "node:fs";
import { basename, dirname, isAbsolute, join, relative, resolve } from "node:path";
import { diffSpecs } from "./diff.js";
import { renderDiffMarkdown } from "./diff-markdown.js";
import type { SpecDiff } from "./diff-types.js";
import { generate, type GenerateResult } from "./generate.js";
import { countSpec, findInMirror, liveSpecUrl, loadSpec, parseGenesysSwagger, sha256Of, SpecSourceError, type LoadedSpec } from "./spec-source.js";

/** `spec/spec.lock.json`: which spec the SDK is generated from. */
export interface SpecLock {
  fileName: string;
  sha256: string;
  /** Where the spec was obtained: a URL, or a file path relative to the project root. */
  source: string;
  /** The spec mirror folder, relative to the project root. */
  mirror: string;
  swagger: string;
  title: string;
  version: string;
  counts: { paths: number; operations: number; definitions: number };
}

export interface SpecUpdateOptions {
  /** Folder holding `spec.lock.json` and the spec files (the project's `spec/`). */
  specDir: string;
  /** Project root: relative paths in the lock are relative to it. Default: the parent of `specDir`. */
  root?: string;
  /** A spec file path or http(s) URL. Default: the newest spec in `mirror`, else the live URL of `region`. */
  from?: string;
  /** A mirror folder: its last `genesys-platform-api-*.json` by name (names carry the date) is taken. */
  mirror?: string;
  /** Region whose live spec (`https://api.<domain>/api/v2/docs/swagger`) is fetched when no `from`/`mirror`. Default `us_east_1`. */
  region?: string;
  /** Where the change report (`spec-changes.md`, `spec-changes.json`) goes. Default `<specDir>/reports`. */
  reportDir?: string;
  /** Folder to regenerate the generated files (`paths.d.ts`, `operations.ts`, …) into; `false` = don't regenerate. */
  generateInto: string | false;
  /** fetch for a URL source. Default `globalThis.fetch`. */
  fetch?: typeof globalThis.fetch;
  /** Dates the file name of a spec fetched from a URL. Default now. */
  now?: Date;
  /** Progress lines. Default: none. */
  log?: (line: string) => void;
}

export interface SpecUpdateResult {
  /** `unchanged`: the new spec has the pinned sha256; nothing was written. */
  status: "updated" | "unchanged";
  previous: SpecLock;
  lock: SpecLock;
  diff?: SpecDiff;
  reportFiles?: { markdown: string; json: string };
  generated?: GenerateResult;
  /** True when the report has breaking changes. */
  breaking: boolean;
}

export const REPORT_NAMES = { markdown: "spec-changes.md", json: "spec-changes.json" } as const;

export async function updateSpec(options: SpecUpdateOptions): Promise<SpecUpdateResult> {
  const { specDir, generateInto, log = () => {} } = options;
  const root = options.root ?? dirname(resolve(specDir));
  const lockFile = join(specDir, "spec.lock.json");
  if (!existsSync(lockFile)) throw new SpecSourceError(`spec:update needs the current lock ${lockFile}`);
  const previous = JSON.parse(readFileSync(lockFile, "utf8")) as SpecLock;
  const oldText = readPreviousSpec(previous, specDir, root, options.mirror);

  const incoming = await loadNewSpec(options, root);
  const doc = parseGenesysSwagger(incoming.text, incoming.source);
  log(`spec:update got ${incoming.source} (sha256 ${incoming.sha256.slice(0, 12)}…, ${incoming.text.length} bytes)`);
  if (incoming.sha256 === previous.sha256) {
    log(`spec:update the spec is unchanged (sha256 ${previous.sha256.slice(0, 12)}…): nothing to do`);
    return { status: "unchanged", previous, lock: previous, breaking: false };
  }

  const diff = diffSpecs(parseGenesysSwagger(oldText, previous.fileName), doc, { from: previous.sha256, to: incoming.sha256 });
  const reportDir = options.reportDir ?? join(specDir, "reports");
  mkdirSync(reportDir, { recursive: true });
  const reportFiles = { markdown: join(reportDir, REPORT_NAMES.markdown), json: join(reportDir, REPORT_NAMES.json) };
  writeFileSync(reportFiles.markdown, renderDiffMarkdown(diff));
  writeFileSync(reportFiles.json, `${JSON.stringify(diff, null, 2)}\n`);

  const fileName = specFileName(incoming.source, options.now ?? new Date());
  writeFileSync(join(specDir, fileName), incoming.text);
  // Generate before pinning: if generation fails, the lock still names a spec the generated code matches.
  const generated = generateInto ? await generate(incoming.text, generateInto, { source: incoming.source }) : undefined;
  const lock: SpecLock = {
    fileName,
    sha256: incoming.sha256,
    source: /^https?:\/\//i.test(incoming.source) ? incoming.source : portable(root, incoming.source),
    mirror: options.mirror ? portable(root, options.mirror) : previous.mirror,
    swagger: doc.swagger,
    title: doc.info?.title ?? "",
    version: doc.info?.version ?? "",
    counts: countSpec(doc),
  };
  writeFileSync(lockFile, formatLock(lock));
  return { status: "updated", previous, lock, diff, reportFiles, generated, breaking: diff.summary.breakingChanges > 0 };
}

/** The pinned spec the report compares against: in `specDir`, else in the mirror; its sha256 must match the lock. */
function readPreviousSpec(lock: SpecLock, specDir: string, root: string, mirror?: string): string {
  const candidates = [join(specDir, lock.fileName), ...[mirror, lock.mirror && resolve(root, lock.mirror)].map((m) => m && findInMirror(m, lock.fileName))];
  for (const file of candidates) {
    if (!file || !existsSync(file)) continue;
    const bytes = readFileSync(file);
    if (sha256Of(bytes) === lock.sha256) return bytes.toString("utf8");
  }
  throw new SpecSourceError(
    `spec:update compares against the pinned spec ${lock.fileName} (sha256 ${lock.sha256.slice(0, 12)}…), which is not in ${specDir} ` +
      `or the mirror. Run "npm run spec:fetch" first (or pass --mirror <dir> holding it).`,
  );
}

async function loadNewSpec(options: SpecUpdateOptions, root: string): Promise<LoadedSpec> {
  if (options.from) return loadSpec(options.from, { fetch: options.fetch });
  if (options.mirror) {
    const dir = resolve(root, options.mirror);
    if (!existsSync(dir)) throw new SpecSourceError(`mirror folder ${dir} does not exist`);
    const specs = readdirSync(dir)
      .filter((f) => /^genesys-platform-api-.+\.json$/.test(f))
      .sort();
    if (!specs.length) throw new SpecSourceError(`mirror folder ${dir} holds no genesys-platform-api-*.json`);
    return loadSpec(join(dir, specs[specs.length - 1]!));
  }
  return loadSpec(liveSpecUrl(options.region), { fetch: options.fetch });
}

/** A file keeps its name; a download is named by the day it was fetched. */
function specFileName(source: string, now: Date): string {
  if (/^https?:\/\//i.test(source)) return `genesys-platform-api-${now.toISOString().slice(0, 10)}.json`;
  const name = basename(source);
  return name.endsWith(".json") ? name : `${name}.json`;
}

/** Relative to the project root with `/` separators, so the lock reads the same on every machine. */
function portable(root: string, path: string): string {
  const abs = isAbsolute(path) ? path : resolve(path);
  return relative(root, abs).split("\\").join("/") || ".";
}

/** Same layout as the committed lock: one key per line, counts on one line. */
export function formatLock(lock: SpecLock): string {
  const lines = Object.entries(lock).map(([k, v]) => `  ${JSON.stringify(k)}: ${k === "counts" ? inline(v) : JSON.stringify(v)}`);
  return `{\n${lines.join(",\n")}\n}\n`;
}

function inline(value: object): string {
  return `{ ${Object.entries(value)
    .map(([k, v]) => `${JSON.stringify(k)}: ${JSON.stringify(v)}`)
    .join(", ")} }`;
}
