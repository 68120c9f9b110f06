// Makes openapi-typescript's output small enough to type-check fast, keeping its shape (`paths`, `operations`,
// `components`, as openapi-fetch reads them) and the descriptions users see on hover:
// - path items list only the methods they have (no `put?: never`, no all-`never` `parameters`);
// - operations drop `never` parameter locations and `requestBody?: never` (absent reads the same to openapi-fetch);
// - responses that are the same for several status codes (Genesys lists ~12 identical error responses per
//   operation) become one mapped type, named once when many operations share it, without the boilerplate
//   descriptions ("successful operation", "Rate limit exceeded…").
// - `components["schemas"]["X"]` is written `S["X"]` (8,000 references in the pinned spec), and the most common
//   response shape (one JSON success + a named error group) a generic alias (`Ok1<S["User"]>`).
// It also collects, per HTTP method, every path template and its operation: the `routes` the client is typed by.
import type * as TS from "typescript";

type Ts = typeof import("typescript");

/** Helper types the compacted declarations refer to; emitted once at the top of `paths.ts`. */
export const RESPONSE_HELPERS = `/** A response whose body is one of \`Content\`'s media types. */
type Res<Content> = { headers: { [name: string]: unknown }; content: Content };
/** A JSON response. */
type Json<T> = Res<{ "application/json": T }>;
/** A response without a body. */
type NoContent = { headers: { [name: string]: unknown }; content?: never };
/** The same response for several status codes. */
type Same<Codes extends number | string, R> = { [K in Codes]: R };
/** The parameters of an operation that has none. */
type NoParams = { query?: never; header?: never; path?: never; cookie?: never };
/** The schemas (\`components["schemas"]\`). */
type S = components["schemas"];
`;

/** A response group used by at least this many operations gets a shared name. */
const SHARE_AT = 5;

export const ROUTE_METHODS = ["get", "put", "post", "delete", "patch", "head", "options"] as const;
export type RouteMethod = (typeof ROUTE_METHODS)[number];

export interface CompactTypes {
  statements: TS.Node[];
  /** Named response groups and shapes, as `type ResponsesN = …;` / `type OkN<T> = …;` declarations. */
  shared: string;
  /** Per method: [path template, type of its operation] in the order of `paths`. */
  routes: Record<RouteMethod, [path: string, type: string][]>;
}

interface Group {
  codes: string[];
  node: TS.TypeNode;
  key: string;
}

export function compactTypes(ts: Ts, input: readonly TS.Node[]): CompactTypes {
  let statements = input;
  const f = ts.factory;
  const printer = ts.createPrinter({ removeComments: true, newLine: ts.NewLineKind.LineFeed });
  const scratch = ts.createSourceFile("x.ts", "", ts.ScriptTarget.ESNext, false, ts.ScriptKind.TS);
  const print = (node: TS.Node) => printer.printNode(ts.EmitHint.Unspecified, node, scratch).replace(/\s+/g, " ");
  const nameOf = (m: TS.TypeElement) => (m.name && (ts.isIdentifier(m.name) || ts.isStringLiteral(m.name) || ts.isNumericLiteral(m.name)) ? m.name.text : "");
  const isNever = (t: TS.TypeNode | undefined) => t?.kind === ts.SyntaxKind.NeverKeyword;
  const ref = (name: string, args?: TS.TypeNode[]) => f.createTypeReferenceNode(name, args);
  const membersOf = (t: TS.TypeNode | undefined) =>
    (t && ts.isTypeLiteralNode(t) ? [...(t.members as readonly TS.TypeElement[])] : []) as TS.PropertySignature[];
  const keepComments = <T extends TS.Node>(to: T, from: TS.Node): T => {
    const comments = ts.getSyntheticLeadingComments(from);
    if (comments) ts.setSyntheticLeadingComments(to, comments);
    return to;
  };
  const withType = (p: TS.PropertySignature, type: TS.TypeNode) => keepComments(f.updatePropertySignature(p, p.modifiers, p.name, p.questionToken, type), p);
  const property = (name: string, type: TS.TypeNode) =>
    f.createPropertySignature(
      undefined,
      /^\d+$/.test(name) ? f.createNumericLiteral(name) : /^[A-Za-z_$][\w$]*$/.test(name) ? name : f.createStringLiteral(name),
      undefined,
      type,
    );
  const code = (c: string) => f.createLiteralTypeNode(/^\d+$/.test(c) ? f.createNumericLiteral(c) : f.createStringLiteral(c));

  // `{ headers: { [name: string]: unknown }; content: C }` → Res<C> (Json<T> for JSON only); `content?: never` → NoContent.
  function response(type: TS.TypeNode): TS.TypeNode {
    const [headers, content, ...rest] = membersOf(type);
    if (
      !headers ||
      !content ||
      rest.length ||
      nameOf(headers) !== "headers" ||
      print(headers.type!) !== "{ [name: string]: unknown; }" ||
      nameOf(content) !== "content"
    )
      return type;
    if (isNever(content.type)) return ref("NoContent");
    const media = membersOf(content.type);
    if (media.length === 1 && nameOf(media[0]!) === "application/json" && !content.questionToken) return ref("Json", [media[0]!.type!]);
    return content.questionToken ? type : ref("Res", [content.type!]);
  }

  // Status codes grouped by identical response, in the spec's order.
  function groups(type: TS.TypeNode): Group[] {
    const byKey = new Map<string, Group>();
    for (const m of membersOf(type)) {
      const node = response(m.type!);
      const key = print(node);
      const group = byKey.get(key) ?? { codes: [], node, key };
      group.codes.push(nameOf(m));
      byKey.set(key, group);
    }
    return [...byKey.values()];
  }

  const sameKey = (g: Group) => `${g.codes.join("|")} ${g.key}`;
  const sameNode = (g: Group) => ref("Same", [f.createUnionTypeNode(g.codes.map(code)), g.node]);

  // `components["schemas"]["X"]` → `S["X"]`, everywhere.
  const isSchemas = (t: TS.TypeNode) =>
    ts.isIndexedAccessTypeNode(t) &&
    ts.isTypeReferenceNode(t.objectType) &&
    ts.isIdentifier(t.objectType.typeName) &&
    t.objectType.typeName.text === "components" &&
    ts.isLiteralTypeNode(t.indexType) &&
    ts.isStringLiteral(t.indexType.literal) &&
    t.indexType.literal.text === "schemas";
  const shortRefs = (ctx: TS.TransformationContext) => {
    const visit = (node: TS.Node): TS.Node =>
      ts.isIndexedAccessTypeNode(node) && isSchemas(node.objectType)
        ? f.updateIndexedAccessTypeNode(node, ref("S"), node.indexType)
        : ts.visitEachChild(node, visit, ctx);
    return (node: TS.Node) => ts.visitNode(node, visit) as TS.Node;
  };
  statements = ts.transform([...statements], [shortRefs]).transformed;

  // First pass: count how often each multi-code group occurs, to name the common ones.
  const operations = statements.find((s): s is TS.InterfaceDeclaration => ts.isInterfaceDeclaration(s) && s.name.text === "operations");
  const uses = new Map<string, { count: number; node: TS.TypeNode }>();
  for (const op of operations?.members ?? []) {
    const responses = membersOf((op as TS.PropertySignature).type).find((p) => nameOf(p) === "responses");
    for (const g of responses ? groups(responses.type!) : []) {
      if (g.codes.length > 1) uses.set(sameKey(g), { count: (uses.get(sameKey(g))?.count ?? 0) + 1, node: sameNode(g) });
    }
  }
  // Most used first; ties by text, so the output does not depend on map order.
  const named = [...uses.entries()]
    .filter(([, u]) => u.count >= SHARE_AT)
    .sort((a, b) => b[1].count - a[1].count || (a[0] < b[0] ? -1 : 1))
    .map(([key, u], i) => ({ key, name: `Responses${i + 1}`, node: u.node }));
  const names = new Map(named.map((n) => [n.key, n.name]));

  // One JSON success response and one named group: the shape `OkN<T>` names, keyed `code|group`.
  function okShape(gs: Group[]): { key: string; data: TS.TypeNode } | undefined {
    const singles = gs.filter((g) => g.codes.length === 1);
    const multi = gs.filter((g) => g.codes.length > 1);
    const json = singles[0]?.node;
    if (singles.length !== 1 || multi.length !== 1 || !names.has(sameKey(multi[0]!)) || !json || !ts.isTypeReferenceNode(json)) return undefined;
    if (!ts.isIdentifier(json.typeName) || json.typeName.text !== "Json" || json.typeArguments?.length !== 1) return undefined;
    return { key: `${singles[0]!.codes[0]}|${names.get(sameKey(multi[0]!))}`, data: json.typeArguments[0]! };
  }
  const okUses = new Map<string, number>();
  for (const op of operations?.members ?? []) {
    const responses = membersOf((op as TS.PropertySignature).type).find((p) => nameOf(p) === "responses");
    const shape = responses && okShape(groups(responses.type!));
    if (shape) okUses.set(shape.key, (okUses.get(shape.key) ?? 0) + 1);
  }
  const okNames = new Map(
    [...okUses.entries()]
      .filter(([, n]) => n >= SHARE_AT)
      .sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : 1))
      .map(([key], i) => [key, `Ok${i + 1}`]),
  );

  function responsesType(type: TS.TypeNode): TS.TypeNode {
    const gs = groups(type);
    const shape = okShape(gs);
    if (shape && okNames.has(shape.key)) return ref(okNames.get(shape.key)!, [shape.data]);
    const singles = gs.filter((g) => g.codes.length === 1).map((g) => property(g.codes[0]!, g.node));
    const parts: TS.TypeNode[] = singles.length ? [f.createTypeLiteralNode(singles)] : [];
    for (const g of gs.filter((g) => g.codes.length > 1)) parts.push(names.has(sameKey(g)) ? ref(names.get(sameKey(g))!) : sameNode(g));
    return parts.length === 1 ? parts[0]! : parts.length ? f.createIntersectionTypeNode(parts) : f.createTypeLiteralNode([]);
  }

  function operation(op: TS.PropertySignature): TS.PropertySignature {
    const parts: TS.PropertySignature[] = [];
    for (const p of membersOf(op.type)) {
      const name = nameOf(p);
      if (name === "requestBody" && isNever(p.type)) continue;
      if (name === "parameters") {
        const kept = membersOf(p.type).filter((m) => !isNever(m.type));
        parts.push(withType(p, kept.length ? f.createTypeLiteralNode(kept) : ref("NoParams")));
      } else if (name === "responses") parts.push(withType(p, responsesType(p.type!)));
      else parts.push(p);
    }
    return withType(op, f.createTypeLiteralNode(parts));
  }

  const routes = Object.fromEntries(ROUTE_METHODS.map((m) => [m, []])) as unknown as CompactTypes["routes"];
  function pathItem(item: TS.PropertySignature): TS.PropertySignature {
    const path = nameOf(item);
    const kept = membersOf(item.type).filter((p) => {
      if (isNever(p.type)) return false;
      const method = nameOf(p) as RouteMethod;
      if (ROUTE_METHODS.includes(method)) {
        // `operations["x"]` as written; an operation without operationId is inlined by openapi-typescript.
        const type = p.type && ts.isIndexedAccessTypeNode(p.type) ? print(p.type) : `paths[${JSON.stringify(path)}][${JSON.stringify(method)}]`;
        routes[method].push([path, type]);
      }
      return !(nameOf(p) === "parameters" && membersOf(p.type).every((x) => isNever(x.type)));
    });
    return withType(item, f.createTypeLiteralNode(kept));
  }

  const mapMembers = (st: TS.InterfaceDeclaration, fn: (m: TS.PropertySignature) => TS.PropertySignature) =>
    keepComments(
      f.updateInterfaceDeclaration(
        st,
        st.modifiers,
        st.name,
        st.typeParameters,
        st.heritageClauses,
        st.members.map((m) => fn(m as TS.PropertySignature)),
      ),
      st,
    );
  const out = statements.map((st) => {
    if (ts.isInterfaceDeclaration(st) && st.name.text === "paths") return mapMembers(st, pathItem);
    if (ts.isInterfaceDeclaration(st) && st.name.text === "operations") return mapMembers(st, operation);
    return st;
  });
  const okDeclarations = [...okNames].map(([key, name]) => {
    const [code, group] = key.split("|");
    return `type ${name}<T> = { ${code}: Json<T> } & ${group};\n`;
  });
  return { statements: out, shared: named.map((n) => `type ${n.name} = ${print(n.node)};\n`).join("") + okDeclarations.join(""), routes };
}

/** `routes` and one interface per method: what `gc.GET(path, …)` and co. accept, and the operation at each path. */
export function renderRoutes(routes: CompactTypes["routes"]): string {
  const iface = (m: RouteMethod) => `${m[0]!.toUpperCase()}${m.slice(1)}Routes`;
  const body = (m: RouteMethod) =>
    [...routes[m]]
      .sort((a, b) => (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0))
      .map(([path, type]) => `    ${JSON.stringify(path)}: ${type};\n`)
      .join("");
  return (
    `/** Per HTTP method, every path template and its operation: what \`gc.GET(path, …)\` and co. accept. */\n` +
    `export interface routes {\n${ROUTE_METHODS.map((m) => `    ${m}: ${iface(m)};\n`).join("")}}\n` +
    ROUTE_METHODS.map((m) => `export interface ${iface(m)} {\n${body(m)}}\n`).join("")
  );
}
