// The login side: `POST /oauth/token` (client credentials grant, HTTP Basic) and the bearer check on `/api/v2/`.
import { randomBytes, timingSafeEqual } from "node:crypto";
import { errorBody } from "./errors.js";
import { jsonReply, type Reply, type SimRequest } from "./reply.js";
import type { SimulatorClient } from "./types.js";

export type TokenState = "valid" | "unknown" | "expired";

export interface TokenStore {
  issue(ttlSeconds: number, nowMs: number, clientId?: string): string;
  check(token: string, nowMs: number): TokenState;
  /** The OAuth client a token was issued to (per-client limits count all its tokens together). */
  clientOf(token: string): string | undefined;
}

/** Expired tokens are remembered (to answer "expired", not "unknown") until the store grows past this. */
const SWEEP_AT = 10_000;

export function createTokenStore(): TokenStore {
  const expiries = new Map<string, number>();
  const clients = new Map<string, string>();
  return {
    issue(ttlSeconds, now, clientId) {
      if (expiries.size >= SWEEP_AT) for (const [t, at] of expiries) if (at <= now) [expiries.delete(t), clients.delete(t)];
      const token = randomBytes(32).toString("base64url");
      expiries.set(token, now + ttlSeconds * 1000);
      if (clientId !== undefined) clients.set(token, clientId);
      return token;
    },
    clientOf: (token) => clients.get(token),
    check(token, now) {
      const at = expiries.get(token);
      if (at === undefined) return "unknown";
      return now < at ? "valid" : "expired";
    },
  };
}

/** Genesys's login error: OAuth's `error` / `error_description` plus Genesys's error fields. */
function oauthError(status: number, error: string, description: string, code: string, contextId: string): Reply {
  return jsonReply(
    status,
    { error, error_description: description, description, ...errorBody(status, code, description, contextId) },
    { "cache-control": "no-store" },
  );
}

export function handleTokenRequest(req: SimRequest, clients: readonly SimulatorClient[], store: TokenStore, ttlSeconds: number, now: number): Reply {
  const id = req.correlationId;
  const credentials = readBasic(req.headers.authorization) ?? readFormCredentials(req.body);
  if (!credentials) return oauthError(401, "invalid_client", "Client authentication is required (HTTP Basic client id and secret).", "bad.credentials", id);
  if (!clients.some((c) => same(c.clientId, credentials.clientId) && same(c.clientSecret, credentials.clientSecret))) {
    return oauthError(401, "invalid_client", "Client authentication failed: unknown client id or wrong secret.", "bad.credentials", id);
  }
  const grantType = new URLSearchParams(req.body).get("grant_type");
  if (grantType === null) return oauthError(400, "invalid_request", "Missing grant_type (expected client_credentials).", "bad.request", id);
  if (grantType !== "client_credentials") {
    return oauthError(400, "unsupported_grant_type", `Unsupported grant_type "${grantType.slice(0, 50)}" (expected client_credentials).`, "bad.request", id);
  }
  const accessToken = store.issue(ttlSeconds, now, credentials.clientId);
  return jsonReply(200, { access_token: accessToken, token_type: "bearer", expires_in: ttlSeconds }, { "cache-control": "no-store" });
}

/** Undefined when the bearer token is valid; else Genesys's 401. */
export function checkBearer(authorization: string | undefined, store: TokenStore, now: number, contextId: string): Reply | undefined {
  const match = /^Bearer\s+(\S+)\s*$/i.exec(authorization ?? "");
  if (!match) {
    return jsonReply(401, errorBody(401, "authentication.required", "No authentication bearer token specified in authorization header.", contextId));
  }
  const state = store.check(match[1], now);
  if (state === "valid") return undefined;
  if (state === "expired") return jsonReply(401, errorBody(401, "credentials.expired", "The supplied credentials are expired and cannot be used.", contextId));
  return jsonReply(401, errorBody(401, "bad.credentials", "Invalid login credentials.", contextId));
}

function readBasic(header: string | undefined): SimulatorClient | undefined {
  const match = /^Basic\s+(\S+)\s*$/i.exec(header ?? "");
  if (!match) return undefined;
  const decoded = Buffer.from(match[1], "base64").toString("utf8");
  const colon = decoded.indexOf(":");
  if (colon < 0) return undefined;
  return { clientId: decoded.slice(0, colon), clientSecret: decoded.slice(colon + 1) };
}

/** RFC 6749 also allows `client_id` / `client_secret` in the form body. */
function readFormCredentials(body: string): SimulatorClient | undefined {
  const form = new URLSearchParams(body);
  const clientId = form.get("client_id");
  const clientSecret = form.get("client_secret");
  return clientId && clientSecret ? { clientId, clientSecret } : undefined;
}

function same(a: string, b: string): boolean {
  const x = Buffer.from(a);
  const y = Buffer.from(b);
  return x.length === y.length && timingSafeEqual(x, y);
}
