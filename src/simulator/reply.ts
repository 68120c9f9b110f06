// What a handler answers and what it was asked, independent of node:http.
import type { IncomingHttpHeaders } from "node:http";
import { badRequest } from "./errors.js";

export interface SimRequest {
  method: string;
  /** Path without the query string. */
  path: string;
  query: URLSearchParams;
  headers: IncomingHttpHeaders;
  body: string;
  correlationId: string;
  /** Path parameters of the matched route template. */
  params: Record<string, string>;
}

export interface Reply {
  status: number;
  headers: Record<string, string>;
  /** Serialized body. */
  body: string;
}

export function jsonReply(status: number, body: unknown, headers: Record<string, string> = {}): Reply {
  return { status, headers: { "content-type": "application/json", ...headers }, body: JSON.stringify(body) };
}

export function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

/** The request's JSON object body; anything else answers 400 `bad.request`. */
export function jsonObjectBody(req: SimRequest): Record<string, unknown> {
  let body: unknown;
  try {
    body = JSON.parse(req.body);
  } catch {
    throw badRequest("The request could not be understood by the server due to malformed syntax: the body is not valid JSON.");
  }
  if (!isObject(body)) throw badRequest("The request body must be a JSON object.");
  return body;
}
