// What a handler answers and what it was asked, independent of node:http.
import type { IncomingHttpHeaders } from "node:http";

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
