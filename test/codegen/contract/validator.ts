// The independent side of the contract check: openapi-backend (ajv) validates each incoming request against the
// spec converted to OpenAPI 3 by swagger2openapi. It matches the route itself (method + path), then checks path,
// query, header and body. The spec is cut down to the sampled operations and the definitions their requests
// reach (responses dropped), which keeps start-up quick without changing what a request is validated against.
import ajvFormats from "ajv-formats";
import s2o from "swagger2openapi";
import { OpenAPIBackend, type Document } from "openapi-backend";
import type { SwaggerDocument } from "../../../src/codegen/spec-source.js";
import { startTinyServer } from "../../support/tiny-server.js";

// ajv-formats is CommonJS with `exports.default`: under NodeNext the default import is the module object.
const addFormats = ((ajvFormats as unknown as { default?: typeof ajvFormats }).default ?? ajvFormats) as unknown as (ajv: object) => void;

/** Genesys's own format: an ISO-8601 interval, `<start>/<end>`. */
const INTERVAL = /^\d{4}-\d{2}-\d{2}T[^/]+\/\d{4}-\d{2}-\d{2}T[^/]+$/;

export interface Verdict {
  method: string;
  url: string;
  operationId: string | undefined;
  valid: boolean;
  errors: string[];
}

/** The spec with only `routes` (method + path) and the definitions their parameters and bodies reference. */
export function trimSpec(doc: SwaggerDocument, routes: { method: string; path: string }[]): SwaggerDocument {
  const paths: Record<string, Record<string, unknown>> = {};
  for (const { method, path } of routes) {
    const op = doc.paths[path]?.[method.toLowerCase()] as Record<string, unknown> | undefined;
    if (!op) throw new Error(`${method} ${path} is not in the spec`);
    // Responses are not what we check; keep a bare 200 so the document stays valid.
    (paths[path] ??= {})[method.toLowerCase()] = { ...op, responses: { "200": { description: "ok" } } };
  }
  const definitions: Record<string, unknown> = {};
  const pending = [JSON.stringify(paths)];
  while (pending.length) {
    for (const [, name] of pending.pop()!.matchAll(/"#\/definitions\/([^"]+)"/g)) {
      if (definitions[name!] || !doc.definitions?.[name!]) continue;
      definitions[name!] = doc.definitions[name!];
      pending.push(JSON.stringify(doc.definitions[name!]));
    }
  }
  const { swagger, info, host, consumes, produces, securityDefinitions } = doc as SwaggerDocument & Record<string, unknown>;
  return { swagger, info, host, schemes: ["https"], consumes, produces, securityDefinitions, paths, definitions } as SwaggerDocument;
}

/** A loopback server answering 200 to requests valid for the spec, 400 with ajv's errors otherwise. */
export async function startValidatingServer(swagger: SwaggerDocument) {
  const { openapi } = await s2o.convertObj(structuredClone(swagger), { patch: true, warnOnly: true, resolveInternal: false });
  const api = new OpenAPIBackend({
    definition: openapi as Document,
    validate: true,
    // ajv-formats: date-time, date, uri, email, uuid … are checked too, not skipped as unknown formats.
    customizeAjv: (ajv) => {
      addFormats(ajv);
      ajv.addFormat("interval", INTERVAL);
      return ajv;
    },
  });
  await api.init();
  const verdicts: Verdict[] = [];
  const server = await startTinyServer((req, res) => {
    const request = { method: req.method, path: req.url, headers: req.headers as Record<string, string>, body: req.body || undefined };
    const operation = api.matchOperation(request);
    const result = operation ? api.validateRequest(request, operation) : undefined;
    const errors = result?.errors?.map((e) => `${e.instancePath || "/"} ${e.message ?? e.keyword}`) ?? (operation ? [] : ["no operation matches"]);
    const verdict = { method: req.method, url: req.url, operationId: operation?.operationId, valid: !!result?.valid, errors };
    verdicts.push(verdict);
    const status = verdict.valid ? 200 : 400;
    res.writeHead(status, { "content-type": "application/json" });
    res.end(req.method === "HEAD" ? undefined : JSON.stringify(verdict.valid ? {} : { message: errors.join("; "), code: "bad.request", status }));
  });
  return { ...server, verdicts };
}
