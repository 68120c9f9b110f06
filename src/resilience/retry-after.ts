// The one reader of what a 429 (or 503) says about waiting: `Retry-After` (delta-seconds or HTTP-date), else the
// seconds Genesys quotes in the body's message ("Retry the request in [N] seconds"), and the body's `limit`
// (`{ key, namespace, value }`, sent by Genesys since 2023 on some 429s, not guaranteed).

/** A limit as Genesys names it in a 429 body and in `GET /api/v2/organizations/limits/namespaces/{namespace}`. */
export interface NamedLimit {
  /** e.g. `token.rate.per.minute`, `user.rate.per.minute`. */
  key: string;
  /** e.g. `platform.api`, `directory`; undefined when the body named none. */
  namespace: string | undefined;
  /** Requests allowed per the key's unit (per minute for `*.per.minute`). */
  value: number;
}

/** `Retry-After` header value as seconds (delta-seconds or HTTP-date), undefined when absent or unreadable. */
export function retryAfterSeconds(value: string | null | undefined, now = Date.now()): number | undefined {
  if (value == null) return undefined;
  const text = value.trim();
  if (text === "") return undefined;
  if (/^\d+(\.\d+)?$/.test(text)) return Number(text);
  if (!/[a-z]/i.test(text)) return undefined; // neither a number of seconds nor an HTTP-date ("Wed, 21 Oct 2015 07:28:00 GMT")
  const date = Date.parse(text);
  return Number.isNaN(date) ? undefined : Math.max(0, (date - now) / 1000);
}

const BODY_SECONDS = /retry the request in \[(\d+(?:\.\d+)?)\] seconds?/i;

/** The "[N] seconds" of Genesys's 429 message, in seconds; undefined when the body has none. */
export function bodyRetrySeconds(body: unknown): number | undefined {
  const message = body && typeof body === "object" ? (body as { message?: unknown }).message : undefined;
  if (typeof message !== "string") return undefined;
  const match = BODY_SECONDS.exec(message);
  return match ? Number(match[1]) : undefined;
}

/**
 * How long the server asked to wait, in ms: the `Retry-After` header, else the body message's "[N] seconds";
 * undefined when neither says.
 */
export function retryAfterMs(headers: Headers, body?: unknown, now = Date.now()): number | undefined {
  const seconds = retryAfterSeconds(headers.get("retry-after"), now) ?? bodyRetrySeconds(body);
  return seconds === undefined ? undefined : Math.round(seconds * 1000);
}

/** The body's `limit` when it is well formed (a key and a positive value); undefined otherwise. */
export function bodyLimit(body: unknown): NamedLimit | undefined {
  const limit = body && typeof body === "object" ? (body as { limit?: unknown }).limit : undefined;
  return readLimit(limit);
}

/** One `Limit` object of the spec (`{ key, namespace, value }`), undefined when malformed. */
export function readLimit(limit: unknown): NamedLimit | undefined {
  if (!limit || typeof limit !== "object") return undefined;
  const { key, namespace, value } = limit as { key?: unknown; namespace?: unknown; value?: unknown };
  if (typeof key !== "string" || key === "" || typeof value !== "number" || !(value > 0) || !Number.isFinite(value)) return undefined;
  return { key, namespace: typeof namespace === "string" && namespace !== "" ? namespace : undefined, value };
}

/** Window length of a limit key in ms from its unit (`*.per.minute` → 60 s, `*.per.second` → 1 s, …); undefined when unknown. */
export function keyWindowMs(key: string): number | undefined {
  const unit = /\.per\.(second|minute|hour|day)$/.exec(key)?.[1];
  return unit === "second" ? 1_000 : unit === "minute" ? 60_000 : unit === "hour" ? 3_600_000 : unit === "day" ? 86_400_000 : undefined;
}

/** Reads the `inin-ratelimit-*` headers; undefined when any is missing or not a number. */
export function readQuotaHeaders(headers: Headers): { allowed: number; count: number; resetMs: number } | undefined {
  const allowed = Number(headers.get("inin-ratelimit-allowed") ?? Number.NaN);
  if (!(allowed > 0)) return undefined; // today's Genesys sends none: one lookup per answer, not three
  const count = Number(headers.get("inin-ratelimit-count") ?? Number.NaN);
  const reset = Number(headers.get("inin-ratelimit-reset") ?? Number.NaN);
  if (!(count >= 0) || !(reset >= 0)) return undefined;
  return { allowed, count, resetMs: reset * 1000 };
}
