// One request to the OAuth token endpoint (client credentials grant), and what its answer means:
// a token, a failure worth retrying (429, 5xx, network, timeout), or a final failure (bad credentials, …).
import { AuthError } from "../errors.js";
import { retryAfterSeconds } from "../resilience/retry-after.js";
import { safeCause, type Redactor } from "./redact.js";

export interface IssuedToken {
  accessToken: string;
  /** From `expires_in`; undefined when the endpoint did not say (the token is then kept until a 401). */
  lifetimeMs: number | undefined;
}

export interface TokenEndpoint {
  /** `https://login.mypurecloud.com/oauth/token`. */
  url: string;
  /** `Basic base64(clientId:clientSecret)`: built once, never logged. */
  authorization: string;
  fetch: typeof globalThis.fetch;
  redact: Redactor;
}

export type AttemptOutcome =
  | { kind: "token"; status: number; token: IssuedToken }
  /** `retryAfterMs` only for a 429 that sent `Retry-After`. */
  | { kind: "retry"; status: number | undefined; retryAfterMs: number | undefined; error: AuthError }
  | { kind: "fail"; status: number | undefined; error: AuthError };

/** `Basic base64(clientId:clientSecret)`, UTF-8 safe (btoa alone only takes Latin-1). */
export function basicCredential(clientId: string, clientSecret: string): string {
  const bytes = new TextEncoder().encode(`${clientId}:${clientSecret}`);
  let binary = "";
  for (const byte of bytes) binary += String.fromCharCode(byte);
  return `Basic ${btoa(binary)}`;
}

/** Sends one token request. Throws only when `signal` (the caller's) aborted; everything else is an outcome. */
export async function requestTokenOnce(endpoint: TokenEndpoint, signal: AbortSignal, timeoutMs: number): Promise<AttemptOutcome> {
  const where = `Token request to ${endpoint.url}`;
  const attemptSignal = AbortSignal.any([signal, AbortSignal.timeout(timeoutMs)]);
  let response: Response;
  let text: string;
  try {
    response = await endpoint.fetch(endpoint.url, {
      method: "POST",
      headers: {
        authorization: endpoint.authorization,
        "content-type": "application/x-www-form-urlencoded",
        accept: "application/json",
      },
      body: "grant_type=client_credentials",
      signal: attemptSignal,
    });
    text = await response.text();
  } catch (error) {
    if (signal.aborted) throw signal.reason;
    const timedOut = attemptSignal.aborted;
    const detail = timedOut ? `timed out after ${timeoutMs} ms` : `failed: ${endpoint.redact(describe(error))}`;
    const cause = timedOut ? undefined : { cause: safeCause(error, endpoint.redact) };
    return { kind: "retry", status: undefined, retryAfterMs: undefined, error: new AuthError(`${where} ${detail}`, undefined, undefined, cause) };
  }

  const { status } = response;
  const body = parseJson(text);
  if (status === 200) {
    const token = readToken(body);
    if (token) return { kind: "token", status, token };
    // The body is not quoted: it may hold a token in an unexpected field.
    return { kind: "fail", status, error: new AuthError(`${where} answered 200 without a usable access_token.`, status) };
  }

  const { code, description } = readOAuthError(body);
  const said = description ? `: ${endpoint.redact(description).slice(0, 300)}` : "";
  const retryAfter = status === 429 ? retryAfterSeconds(response.headers.get("retry-after")) : undefined;
  const error = new AuthError(`${where} failed with ${status}${code ? ` ${endpoint.redact(code)}` : ""}${said}`, status, code && endpoint.redact(code), {
    retryAfter,
  });
  if (status === 429) return { kind: "retry", status, retryAfterMs: retryAfter === undefined ? undefined : retryAfter * 1000, error };
  if (status >= 500) return { kind: "retry", status, retryAfterMs: undefined, error };
  return { kind: "fail", status, error };
}

function describe(error: unknown): string {
  if (!(error instanceof Error)) return String(error);
  const inner = error.cause instanceof Error ? ` (${error.cause.message})` : "";
  return `${error.message}${inner}`;
}

function parseJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}

function readToken(body: unknown): IssuedToken | undefined {
  if (!body || typeof body !== "object") return undefined;
  const { access_token: accessToken, expires_in: expiresIn } = body as { access_token?: unknown; expires_in?: unknown };
  if (typeof accessToken !== "string" || accessToken === "") return undefined;
  const seconds = typeof expiresIn === "number" ? expiresIn : typeof expiresIn === "string" ? Number(expiresIn) : NaN;
  return { accessToken, lifetimeMs: Number.isFinite(seconds) && seconds >= 0 ? seconds * 1000 : undefined };
}

/** OAuth (`error`, `error_description`) or Genesys (`code`, `message`) error fields. */
function readOAuthError(body: unknown): { code: string | undefined; description: string | undefined } {
  if (!body || typeof body !== "object") return { code: undefined, description: undefined };
  const b = body as Record<string, unknown>;
  const pick = (...keys: string[]) => keys.map((k) => b[k]).find((v): v is string => typeof v === "string" && v !== "");
  return { code: pick("error", "code"), description: pick("error_description", "description", "message") };
}
