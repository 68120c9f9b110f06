// Example request values built from a Swagger 2.0 schema: what a careful caller would send. Required fields are
// always filled; a few optional ones too (to exercise nesting, arrays and enums); read-only ones are skipped.
// Values honour enum, format, pattern, min/max and lengths, so a rejection means the request, not the example, is off.

export interface SwaggerSchema {
  $ref?: string;
  type?: string;
  format?: string;
  enum?: unknown[];
  pattern?: string;
  minimum?: number;
  maximum?: number;
  minLength?: number;
  maxLength?: number;
  minItems?: number;
  uniqueItems?: boolean;
  properties?: Record<string, SwaggerSchema>;
  required?: string[];
  items?: SwaggerSchema;
  additionalProperties?: boolean | SwaggerSchema;
  readOnly?: boolean;
}

export interface SwaggerParameter extends Omit<SwaggerSchema, "required"> {
  name: string;
  in: "path" | "query" | "header" | "body" | "formData";
  required?: boolean;
  schema?: SwaggerSchema;
}

type Definitions = Record<string, SwaggerSchema>;

const UUID = "3fa85f64-5717-4562-b3fc-2c963f66afa6";
const STRING_CANDIDATES = ["sample", UUID, "#a1b2c3", "sample-value-1"];
const MAX_DEPTH = 6;
const OPTIONAL_PER_OBJECT = 3;

export function exampleFor(schema: SwaggerSchema, defs: Definitions, depth = 0, refs: string[] = []): unknown {
  if (schema.$ref) {
    const name = schema.$ref.replace("#/definitions/", "");
    const target = defs[name];
    if (!target) throw new Error(`unresolvable ${schema.$ref}`);
    return exampleFor(target, defs, depth, [...refs, name]);
  }
  if (schema.enum?.length) return schema.enum[0];
  const type = schema.type ?? (schema.properties ? "object" : schema.items ? "array" : "object");
  switch (type) {
    case "string":
      return stringFor(schema);
    case "integer":
      return clamp(schema, 1);
    case "number":
      return clamp(schema, 1.5);
    case "boolean":
      return true;
    case "array":
      return arrayFor(schema, defs, depth, refs);
    default:
      return objectFor(schema, defs, depth, refs);
  }
}

function stringFor(s: SwaggerSchema): string {
  const byFormat: Record<string, string> = {
    "date-time": "2024-01-02T03:04:05.000Z",
    date: "2024-01-02",
    uuid: UUID,
    uri: "https://example.com/sample",
    url: "https://example.com/sample",
    email: "sample@example.com",
    interval: "2024-01-01T00:00:00.000Z/2024-01-02T00:00:00.000Z",
  };
  const candidates = s.format && byFormat[s.format] ? [byFormat[s.format]!] : STRING_CANDIDATES;
  const value = s.pattern ? candidates.find((c) => new RegExp(s.pattern!).test(c)) : candidates[0];
  if (value === undefined) throw new Error(`no example matches pattern ${s.pattern}`);
  if (s.minLength && value.length < s.minLength) return value.padEnd(s.minLength, "x");
  return s.maxLength && value.length > s.maxLength ? value.slice(0, s.maxLength) : value;
}

function clamp(s: SwaggerSchema, preferred: number): number {
  if (s.minimum !== undefined && preferred < s.minimum) return s.minimum;
  if (s.maximum !== undefined && preferred > s.maximum) return s.maximum;
  return preferred;
}

function arrayFor(s: SwaggerSchema, defs: Definitions, depth: number, refs: string[]): unknown[] {
  const items = s.items ?? {};
  const itemEnum = items.$ref ? defs[items.$ref.replace("#/definitions/", "")]?.enum : items.enum;
  // Enum arrays get two distinct values, so multi-valued query parameters are exercised.
  if (itemEnum && itemEnum.length > 1) return itemEnum.slice(0, 2);
  if (depth >= MAX_DEPTH) return [];
  const count = Math.max(1, s.minItems ?? 1);
  return Array.from({ length: count }, () => exampleFor(items, defs, depth + 1, refs));
}

function objectFor(s: SwaggerSchema, defs: Definitions, depth: number, refs: string[]): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  const props = s.properties ?? {};
  const required = new Set(s.required ?? []);
  let optional = 0;
  for (const [name, prop] of Object.entries(props)) {
    const isRequired = required.has(name);
    if (!isRequired) {
      // Optional: skip read-only fields, recursion into a definition already on the path, and deep nesting.
      const ref = prop.$ref?.replace("#/definitions/", "") ?? prop.items?.$ref?.replace("#/definitions/", "");
      const target = prop.$ref ? defs[prop.$ref.replace("#/definitions/", "")] : prop;
      if (prop.readOnly || target?.readOnly || (ref && refs.includes(ref)) || depth >= 2 || optional >= OPTIONAL_PER_OBJECT) continue;
      optional++;
    }
    out[name] = exampleFor(prop, defs, depth + 1, refs);
  }
  if (!Object.keys(props).length && typeof s.additionalProperties === "object") {
    out.sampleKey = exampleFor(s.additionalProperties, defs, depth + 1, refs);
  }
  return out;
}

/** The value for one non-body parameter (path, query, header). */
export function parameterExample(p: SwaggerParameter, defs: Definitions): unknown {
  const { name: _name, in: _in, required: _required, schema: _schema, ...schema } = p;
  return exampleFor(schema, defs);
}
