// Where a spec comes from: a local file, the team's spec mirror, or the live Genesys URL.
import { createHash } from "node:crypto";
import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { apiOrigin } from "../regions.js";

export interface LoadedSpec {
  /** The document's bytes as text (kept verbatim so the sha256 is the file's). */
  text: string;
  sha256: string;
  /** Where it came from: a file path or a URL. */
  source: string;
}

export class SpecSourceError extends Error {
  override name = "SpecSourceError";
}

export function sha256Of(text: string | Uint8Array): string {
  return createHash("sha256").update(text).digest("hex");
}

/** The live spec URL of a region, e.g. `https://api.mypurecloud.com/api/v2/docs/swagger`. */
export function liveSpecUrl(region = "us_east_1"): string {
  return `${apiOrigin(region)}/api/v2/docs/swagger`;
}

/** Reads a spec from a file path or an http(s) URL. */
export async function loadSpec(from: string, { fetch = globalThis.fetch, timeoutMs = 60_000 } = {}): Promise<LoadedSpec> {
  if (/^https?:\/\//i.test(from)) {
    let response: Response;
    try {
      response = await fetch(from, { signal: AbortSignal.timeout(timeoutMs), headers: { accept: "application/json" } });
    } catch (error) {
      throw new SpecSourceError(`spec URL ${from} is unreachable: ${(error as Error).message}`);
    }
    if (!response.ok) throw new SpecSourceError(`spec URL ${from} answered HTTP ${response.status}`);
    const text = await response.text();
    return { text, sha256: sha256Of(text), source: from };
  }
  if (!existsSync(from)) throw new SpecSourceError(`spec file ${from} does not exist`);
  const bytes = readFileSync(from);
  return { text: bytes.toString("utf8"), sha256: sha256Of(bytes), source: from };
}

/** Finds `fileName` in the mirror folder, or returns undefined. */
export function findInMirror(mirror: string, fileName: string): string | undefined {
  const candidate = join(mirror, fileName);
  return existsSync(candidate) ? candidate : undefined;
}

export interface SwaggerDocument {
  swagger: string;
  info?: { title?: string; version?: string };
  host?: string;
  paths: Record<string, Record<string, unknown>>;
  definitions?: Record<string, unknown>;
  [key: string]: unknown;
}

/** Parses and checks that the text is a Genesys Platform API Swagger 2.0 document. */
export function parseGenesysSwagger(text: string, source: string): SwaggerDocument {
  let doc: unknown;
  try {
    doc = JSON.parse(text);
  } catch (error) {
    throw new SpecSourceError(`${source} is not JSON: ${(error as Error).message}`);
  }
  const d = doc as Partial<SwaggerDocument> | null;
  if (!d || typeof d !== "object" || d.swagger !== "2.0") {
    throw new SpecSourceError(`${source} is not a Swagger 2.0 document (no "swagger": "2.0")`);
  }
  if (!d.paths || typeof d.paths !== "object" || !Object.keys(d.paths).some((p) => p.startsWith("/api/v2/"))) {
    throw new SpecSourceError(`${source} has no /api/v2/ paths: it is not a Genesys Cloud Platform API spec`);
  }
  return d as SwaggerDocument;
}

export const HTTP_METHODS = ["get", "put", "post", "delete", "options", "head", "patch"] as const;

export interface SpecCounts {
  paths: number;
  operations: number;
  definitions: number;
}

export function countSpec(doc: SwaggerDocument): SpecCounts {
  let operations = 0;
  for (const item of Object.values(doc.paths)) {
    for (const method of HTTP_METHODS) if (item[method]) operations++;
  }
  return { paths: Object.keys(doc.paths).length, operations, definitions: Object.keys(doc.definitions ?? {}).length };
}

export function readJson<T>(file: string): T {
  return JSON.parse(readFileSync(file, "utf8")) as T;
}
