// Renders a SpecDiff as markdown for people (a pull request body, a review). The JSON is the complete record;
// long per-operation lists are cut here with a pointer to it, never silently.
import type { Change, OperationChanges, OperationRef, SpecDiff, SpecSummary } from "./diff-types.js";

export interface MarkdownOptions {
  /** Most changes listed per operation before "… N more". Default 25. */
  maxChangesPerOperation?: number;
  /** Most operations listed per section (added, removed, …) before "… N more". Default 500. */
  maxOperationsPerSection?: number;
}

export function renderDiffMarkdown(diff: SpecDiff, { maxChangesPerOperation = 25, maxOperationsPerSection = 500 }: MarkdownOptions = {}): string {
  const { summary: s } = diff;
  const out: string[] = [
    "# Genesys Cloud Platform API spec changes",
    "",
    "| | before | after |",
    "| --- | --- | --- |",
    ...specRows(diff.from, diff.to),
    "",
    "## Summary",
    "",
    "| | count |",
    "| --- | ---: |",
    `| operations added | ${s.operationsAdded} |`,
    `| operations removed (breaking) | ${s.operationsRemoved} |`,
    `| operations newly deprecated | ${s.operationsDeprecated} |`,
    `| operations changed | ${s.operationsChanged} |`,
    `| operations with breaking changes | ${s.operationsWithBreakingChanges} |`,
    `| **breaking changes** | **${s.breakingChanges}** |`,
    `| all changes | ${s.totalChanges} |`,
    "",
    "Breaking: a caller written against the old spec may stop compiling against the regenerated types, or a request",
    "that used to succeed may be refused / a field it read may be gone. See the change kinds in the SDK's README.",
    "",
    "| change | total | breaking |",
    "| --- | ---: | ---: |",
    ...Object.entries(s.byKind).map(([kind, n]) => `| ${kind} | ${n.total} | ${n.breaking} |`),
  ];
  const limited = <T>(items: T[], line: (item: T) => string) => [
    ...items.slice(0, maxOperationsPerSection).map(line),
    ...(items.length > maxOperationsPerSection ? [`- … ${items.length - maxOperationsPerSection} more in the JSON report`] : []),
  ];
  const section = (title: string, lines: string[]) => (lines.length ? ["", `## ${title}`, "", ...lines] : []);
  const breaking = diff.changed.filter((o) => o.breaking);
  out.push(
    ...section(
      `Removed operations (${diff.removed.length}, breaking)`,
      limited(diff.removed, (o) => `- ${route(o)}`),
    ),
    ...section(
      `Operations with breaking changes (${breaking.length})`,
      limited(breaking, (o) => operationBlock(o, (c) => c.breaking, maxChangesPerOperation)),
    ),
    ...section(
      `Newly deprecated operations (${diff.deprecated.length})`,
      limited(diff.deprecated, (o) => `- ${route(o)}`),
    ),
    ...section(
      "Other changes (not breaking)",
      limited(
        diff.changed.filter((o) => o.changes.some((c) => !c.breaking && c.kind !== "operation.deprecated")),
        (o) => operationBlock(o, (c) => !c.breaking && c.kind !== "operation.deprecated", maxChangesPerOperation),
      ),
    ),
    ...section(
      `Added operations (${diff.added.length})`,
      limited(diff.added, (o) => `- ${route(o)}`),
    ),
  );
  return `${out.join("\n")}\n`;
}

function specRows(a: SpecSummary, b: SpecSummary): string[] {
  const row = (label: string, x: unknown, y: unknown) => `| ${label} | ${x ?? ""} | ${y ?? ""} |`;
  return [
    row("title / version", `${a.title} ${a.version}`, `${b.title} ${b.version}`),
    row("sha256", a.sha256 ? `\`${a.sha256.slice(0, 12)}…\`` : "", b.sha256 ? `\`${b.sha256.slice(0, 12)}…\`` : ""),
    row("paths", a.paths, b.paths),
    row("operations", a.operations, b.operations),
    row("definitions", a.definitions, b.definitions),
  ];
}

function route(o: OperationRef): string {
  return `\`${o.method} ${o.path}\`${o.operationId ? ` (${o.operationId})` : ""}`;
}

function operationBlock(o: OperationChanges, keep: (c: Change) => boolean, max: number): string {
  const changes = o.changes.filter(keep);
  const lines = [`- ${route(o.operation)}${o.previous ? ` — was ${route(o.previous)}` : ""}`];
  for (const c of changes.slice(0, max)) lines.push(`  - ${c.kind}${c.location ? ` \`${c.location}\`` : ""}: ${c.detail}`);
  if (changes.length > max) lines.push(`  - … ${changes.length - max} more in the JSON report`);
  return lines.join("\n");
}
