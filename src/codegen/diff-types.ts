// Shapes of a spec change report (`diffSpecs`), written as JSON for tools and rendered as markdown for people.
//
// "Breaking" means: a caller written against the OLD spec may stop working against the NEW one — either its
// TypeScript stops compiling against the regenerated `paths` (openapi-fetch types path literals, parameter names
// and bodies exactly), or a request that used to succeed is refused / a field it read is gone at run time.
// Each change kind below says whether it is breaking; `breaking` on a change is the verdict for that instance.

/** What changed. Breaking ones are marked (B); (b) = breaking in some cases, see the note. */
export type ChangeKind =
  /** (B) The route (method + path) is gone. */
  | "operation.removed"
  /** Not breaking: a new route. */
  | "operation.added"
  /** Not breaking: the route still works but is now marked deprecated. */
  | "operation.deprecated"
  /** (B) Same route, but path parameter names changed: the typed path literal (`/users/{userId}`) changes. */
  | "operation.pathRenamed"
  /** (b) operationId / method name changed: breaking only when neither old name is still a name of the route (`gc.call("oldName")`). */
  | "operation.renamed"
  /** (b) Breaking when the new parameter is required. */
  | "parameter.added"
  /** (B) Typed callers passing it no longer compile; the server may reject or ignore it. */
  | "parameter.removed"
  /** (B) An optional parameter became required. */
  | "parameter.required"
  /** (B) The parameter's type (or its array item type) changed. */
  | "parameter.typeChanged"
  /** (B) A value the caller may send is no longer allowed. */
  | "parameter.enumValueRemoved"
  /** (b) A request body appeared: breaking when required. */
  | "request.bodyAdded"
  /** (B) The request body is gone. */
  | "request.bodyRemoved"
  /** (B) A writable field of the request body is gone (read-only fields are never sent, so they don't count). */
  | "request.fieldRemoved"
  /** (B) A request field is required now (newly added required fields included). */
  | "request.fieldRequired"
  /** (B) A request field's type changed. */
  | "request.typeChanged"
  /** (B) A request enum value is gone: callers sending it are refused. */
  | "request.enumValueRemoved"
  /** (B) The success response no longer has a body. */
  | "response.bodyRemoved"
  /** (B) A response field callers may read is gone. */
  | "response.fieldRemoved"
  /** (B) A response field's type changed. */
  | "response.typeChanged"
  /** (B) A response enum value is gone: typed code comparing against it no longer compiles. */
  | "response.enumValueRemoved"
  /** (b) `x-inin-requires-permissions` changed: breaking when some caller holding the old permissions is now refused. */
  | "permissions.changed";

export interface Change {
  kind: ChangeKind;
  breaking: boolean;
  /** Where: `query.expand`, `path.userId`, `body.routingStatus.status`, `response.entities[].name`, … */
  location?: string;
  /** One line for people. */
  detail: string;
  before?: unknown;
  after?: unknown;
}

/** An operation, named by its route (method + path template) and operationId. */
export interface OperationRef {
  method: string;
  path: string;
  operationId: string;
}

export interface OperationChanges {
  operation: OperationRef;
  /** The old side, when it differs (renamed route or operationId). */
  previous?: OperationRef;
  breaking: boolean;
  changes: Change[];
}

export interface SpecSummary {
  title: string;
  version: string;
  sha256?: string;
  paths: number;
  operations: number;
  definitions: number;
}

export interface DiffSummary {
  operationsAdded: number;
  operationsRemoved: number;
  /** Operations present in both that are newly deprecated. */
  operationsDeprecated: number;
  /** Operations present in both with at least one change (deprecation included). */
  operationsChanged: number;
  /** Operations present in both with at least one breaking change (removed operations not included). */
  operationsWithBreakingChanges: number;
  /** Every breaking change, removed operations included. */
  breakingChanges: number;
  /** Every change, added/removed operations included. */
  totalChanges: number;
  /** Count per kind: total and how many of those are breaking. */
  byKind: Partial<Record<ChangeKind, { total: number; breaking: number }>>;
}

export interface SpecDiff {
  from: SpecSummary;
  to: SpecSummary;
  summary: DiffSummary;
  added: OperationRef[];
  removed: OperationRef[];
  deprecated: OperationRef[];
  /** Operations present in both specs that changed, sorted by path then method. */
  changed: OperationChanges[];
}
