// Plain-fetch helpers for the simulator tests: no SDK involved, so these tests check the server alone.
import { expect } from "vitest";
import type { Simulator } from "../../src/simulator/index.js";

export const basic = (id = "sim-client", secret = "sim-secret") => `Basic ${Buffer.from(`${id}:${secret}`).toString("base64")}`;

/** `authorization` null: no Authorization header. */
export function tokenRequest(sim: Simulator, authorization: string | null = basic(), body = "grant_type=client_credentials") {
  const headers: Record<string, string> = { "content-type": "application/x-www-form-urlencoded" };
  if (authorization) headers.authorization = authorization;
  return fetch(`${sim.url}/oauth/token`, { method: "POST", headers, body });
}

export async function login(sim: Simulator): Promise<string> {
  const response = await tokenRequest(sim);
  if (response.status !== 200) throw new Error(`login failed: ${response.status}`);
  return ((await response.json()) as { access_token: string }).access_token;
}

export interface Answer<T = Record<string, unknown>> {
  status: number;
  headers: Headers;
  body: T;
  text: string;
}

/** GET (or `init.method`) on the simulator with `Bearer token`; parses JSON bodies. */
export async function call<T = Record<string, unknown>>(sim: Simulator, path: string, token?: string, init: RequestInit = {}): Promise<Answer<T>> {
  const headers = new Headers(init.headers);
  if (token) headers.set("authorization", `Bearer ${token}`);
  if (init.body !== undefined && !headers.has("content-type")) headers.set("content-type", "application/json");
  const url = path.startsWith("http") ? path : `${sim.url}${path}`;
  const response = await fetch(url, { ...init, headers });
  const text = await response.text();
  let body: unknown;
  try {
    body = JSON.parse(text);
  } catch {
    body = undefined;
  }
  return { status: response.status, headers: response.headers, body: body as T, text };
}

export const post = <T = Record<string, unknown>>(sim: Simulator, path: string, token: string | undefined, body: unknown) =>
  call<T>(sim, path, token, { method: "POST", body: typeof body === "string" ? body : JSON.stringify(body) });

export const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** Genesys's error body, with `contextId` equal to the response's `ININ-Correlation-Id`. */
export function expectGenesysError(answer: Answer, status: number, code: string): void {
  expect(answer.status, answer.text).toBe(status);
  expect(answer.headers.get("content-type")).toBe("application/json");
  const contextId = answer.headers.get("inin-correlation-id");
  expect(contextId).toMatch(/^[0-9a-f-]{36}$/);
  // A 429 may name its limit (`limit: { key, namespace, value }`), as Genesys's since 2023.
  const limit =
    status === 429 && (answer.body as { limit?: unknown }).limit !== undefined
      ? { limit: { key: expect.any(String), namespace: expect.any(String), value: expect.any(Number) } }
      : {};
  expect(answer.body).toEqual({ message: expect.any(String), code, status, contextId, details: [], errors: [], ...limit });
  expect((answer.body as { message: string }).message).not.toBe("");
}
