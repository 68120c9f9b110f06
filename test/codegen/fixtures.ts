// A small Genesys-style Swagger 2.0 spec written for these tests (not copied from Genesys): a "widgets" API with
// every HTTP method, path/query/body parameters, arrays, enums, a recursive definition and permissions.
// `widgetsV2()` is the same API after a set of known changes, one per change kind the diff reports.

type Json = Record<string, any>;

const errors = { "400": { description: "Bad request", schema: { $ref: "#/definitions/ErrorBody" } } };
const perms = (type: "ANY" | "ALL", ...permissions: string[]) => ({ "x-inin-requires-permissions": { type, permissions } });
const op = (operationId: string, extra: Json): Json => ({
  tags: ["Widgets"],
  operationId,
  "x-purecloud-method-name": operationId,
  produces: ["application/json"],
  security: [{ "PureCloud OAuth": ["widgets"] }],
  ...extra,
  responses: { ...errors, ...extra.responses },
});
const widgetId = { name: "widgetId", in: "path", required: true, type: "string" };
const expand = { name: "expand", in: "query", required: false, type: "array", items: { type: "string", enum: ["owner", "parts"] }, collectionFormat: "multi" };
const widgetBody = { name: "body", in: "body", required: true, schema: { $ref: "#/definitions/Widget" } };
const ok = (ref: string) => ({ "200": { description: "ok", schema: { $ref: `#/definitions/${ref}` } } });

export function widgetsV1(): Json {
  return {
    swagger: "2.0",
    info: { title: "Widgets Platform API (test fixture)", version: "v2" },
    host: "api.example.test",
    schemes: ["https"],
    consumes: ["application/json"],
    produces: ["application/json"],
    paths: {
      "/api/v2/widgets": {
        get: op("getWidgets", {
          parameters: [
            { name: "pageSize", in: "query", required: false, type: "integer", format: "int32", default: 25 },
            { name: "pageNumber", in: "query", required: false, type: "integer", format: "int32", default: 1 },
            { name: "sortOrder", in: "query", required: false, type: "string", enum: ["asc", "desc"] },
            expand,
          ],
          responses: ok("WidgetEntityListing"),
          ...perms("ANY", "widgets:widget:view"),
        }),
        post: op("postWidgets", { parameters: [widgetBody], responses: ok("Widget"), ...perms("ANY", "widgets:widget:add", "widgets:widget:admin") }),
      },
      "/api/v2/widgets/{widgetId}": {
        get: op("getWidget", { parameters: [widgetId, expand], responses: ok("Widget"), ...perms("ANY", "widgets:widget:view") }),
        put: op("putWidget", { parameters: [widgetId, widgetBody], responses: ok("Widget"), ...perms("ALL", "widgets:widget:edit") }),
        patch: op("patchWidget", { parameters: [widgetId, { ...widgetBody, required: false }], responses: ok("Widget") }),
        delete: op("deleteWidget", { parameters: [widgetId], responses: { "204": { description: "deleted" } } }),
        head: op("headWidget", { parameters: [widgetId], responses: { "200": { description: "exists" } } }),
      },
      "/api/v2/widgets/{widgetId}/parts/{partId}": {
        get: op("getWidgetPart", { parameters: [widgetId, { name: "partId", in: "path", required: true, type: "string" }], responses: ok("Part") }),
      },
      "/api/v2/gadgets/{gadgetId}": {
        delete: op("deleteGadget", {
          parameters: [{ name: "gadgetId", in: "path", required: true, type: "string" }],
          responses: { "204": { description: "deleted" } },
        }),
      },
    },
    definitions: {
      Widget: {
        type: "object",
        required: ["name"],
        properties: {
          id: { type: "string", readOnly: true },
          name: { type: "string" },
          color: { type: "string", enum: ["red", "green", "blue"] },
          size: { type: "integer", format: "int32" },
          owner: { $ref: "#/definitions/User" },
          parts: { type: "array", items: { $ref: "#/definitions/Part" } },
          labels: { type: "object", additionalProperties: { type: "string" } },
          selfUri: { type: "string", format: "uri", readOnly: true },
        },
      },
      Part: {
        type: "object",
        properties: {
          id: { type: "string" },
          kind: { type: "string", enum: ["bolt", "nut"] },
          parent: { $ref: "#/definitions/Part" },
        },
      },
      User: { type: "object", properties: { id: { type: "string" }, name: { type: "string" }, email: { type: "string" } } },
      WidgetEntityListing: {
        type: "object",
        properties: {
          entities: { type: "array", items: { $ref: "#/definitions/Widget" } },
          pageSize: { type: "integer", format: "int32" },
          pageNumber: { type: "integer", format: "int32" },
          total: { type: "integer", format: "int64" },
          pageCount: { type: "integer", format: "int32" },
        },
      },
      ErrorBody: { type: "object", properties: { message: { type: "string" }, code: { type: "string" }, status: { type: "integer" } } },
    },
  };
}

/** v1 after these changes (each one asserted in diff.test.ts). */
export function widgetsV2(): Json {
  const s = widgetsV1();
  const p = s.paths;
  const d = s.definitions;
  delete p["/api/v2/gadgets/{gadgetId}"]; // operation.removed
  p["/api/v2/widgets/{widgetId}/history"] = { get: op("getWidgetHistory", { parameters: [widgetId], responses: ok("WidgetEntityListing") }) }; // operation.added
  p["/api/v2/widgets/{widgetId}"].put.deprecated = true; // operation.deprecated
  const list = p["/api/v2/widgets"].get;
  list.parameters = [
    { name: "pageSize", in: "query", required: false, type: "string" }, // parameter.typeChanged
    { name: "sortOrder", in: "query", required: false, type: "string", enum: ["asc"] }, // parameter.enumValueRemoved (pageNumber removed)
    expand,
    { name: "divisionId", in: "query", required: true, type: "string" }, // parameter.added, breaking
    { name: "q", in: "query", required: false, type: "string" }, // parameter.added, not breaking
  ];
  list["x-inin-requires-permissions"].permissions.push("widgets:widget:admin"); // permissions widened: not breaking
  p["/api/v2/widgets"].post["x-inin-requires-permissions"].permissions = ["widgets:widget:admin"]; // narrowed: breaking
  const get = p["/api/v2/widgets/{widgetId}"].get;
  get.operationId = get["x-purecloud-method-name"] = "getWidgetById"; // operation.renamed, breaking (no old name left)
  const part = p["/api/v2/widgets/{widgetId}/parts/{partId}"];
  delete p["/api/v2/widgets/{widgetId}/parts/{partId}"];
  part.get.parameters = [widgetId, { name: "id", in: "path", required: true, type: "string" }];
  p["/api/v2/widgets/{widgetId}/parts/{id}"] = part; // operation.pathRenamed
  const w = d.Widget;
  delete w.properties.color; // request + response fieldRemoved
  delete w.properties.selfUri; // read-only: response fieldRemoved only
  w.properties.size = { type: "string" }; // typeChanged
  w.required = ["name", "size", "id"]; // request.fieldRequired for size (id is read-only: not for requests)
  d.Part.properties.kind.enum = ["bolt", "washer"]; // enumValueRemoved: nut
  // The user definition is renamed; the comparison follows the operation's schema, not definition names.
  d.UserReference = d.User;
  delete d.User;
  delete d.UserReference.properties.email; // response.fieldRemoved at owner.email
  w.properties.owner = { $ref: "#/definitions/UserReference" };
  return s;
}
