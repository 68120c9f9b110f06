// Keeps secrets out of errors: every text that may end up in an AuthError (server descriptions, causes from
// fetch) passes through a redactor that knows the client secret and the Basic credential built from it.

const REDACTED = "[redacted]";

export type Redactor = (text: string) => string;

/** A function replacing every occurrence of the given secrets (and their URL-encoded forms) with `[redacted]`. */
export function createRedactor(secrets: readonly string[]): Redactor {
  const needles = [...new Set(secrets.flatMap((s) => [s, encodeURIComponent(s)]).filter((s) => s.length > 0))]
    // Longest first, so a secret contained in a longer one (secret ⊂ "id:secret") does not leave a tail behind.
    .sort((a, b) => b.length - a.length);
  return (text) => needles.reduce((out, needle) => out.split(needle).join(REDACTED), text);
}

/**
 * A copy of `error` safe to attach as `cause`: same name, redacted message and stack, `code` kept, nested
 * causes copied the same way (a few levels). Never the original object, which may hold the request.
 */
export function safeCause(error: unknown, redact: Redactor, depth = 0): Error {
  if (!(error instanceof Error)) return new Error(redact(String(error)));
  const nested = depth < 3 && error.cause !== undefined ? { cause: safeCause(error.cause, redact, depth + 1) } : undefined;
  const copy = new Error(redact(error.message), nested);
  copy.name = error.name;
  copy.stack = error.stack === undefined ? undefined : redact(error.stack);
  const code = (error as { code?: unknown }).code;
  if (typeof code === "string" || typeof code === "number") (copy as Error & { code?: unknown }).code = code;
  return copy;
}
