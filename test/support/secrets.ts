// Asserts that no secret appears anywhere an error can be seen: message, String(), JSON, stack, cause chain.
import { expect } from "vitest";

/** Every text an error exposes, its `cause` chain included (a few levels). */
export function errorTexts(error: unknown, depth = 0): string[] {
  if (!(error instanceof Error)) return [String(error), safeJson(error)];
  const own = Object.entries(error).map(([key, value]) => `${key}=${typeof value === "string" ? value : safeJson(value)}`);
  const texts = [error.message, String(error), safeJson(error), error.stack ?? "", ...own];
  if (depth < 5 && error.cause !== undefined) texts.push(...errorTexts(error.cause, depth + 1));
  return texts;
}

export function expectNoSecrets(error: unknown, secrets: readonly string[]): void {
  const texts = errorTexts(error);
  expect(texts.length).toBeGreaterThan(3);
  for (const secret of secrets) {
    for (const text of texts) expect(text, `secret leaked into ${text.slice(0, 80)}`).not.toContain(secret);
  }
}

function safeJson(value: unknown): string {
  try {
    return JSON.stringify(value) ?? "";
  } catch {
    return "";
  }
}
