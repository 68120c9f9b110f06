// Every error the SDK produces. One base (`GenesysError`), one class per thing that can go wrong,
// each with a message a person understands and the fields a program needs. No secret ever enters one.

import type { RequiredPermissions } from "./operations/types.js";
import { retryAfterSeconds } from "./resilience/retry-after.js";

/** Base of every error thrown or returned by the SDK. */
export class GenesysError extends Error {
  override name = "GenesysError";

  /** Name, message and the error's own fields, for logs and `JSON.stringify` (never `cause` or `stack`). */
  toJSON(): Record<string, unknown> {
    return { ...Object.fromEntries(Object.entries(this)), name: this.name, message: this.message };
  }
}

/** Bad options or input, found before any request is sent (unknown region, `http://` to a remote host, …). */
export class ConfigurationError extends GenesysError {
  override name = "ConfigurationError";
}

/** The operation a request belongs to: method and path template. */
export interface OperationRef {
  method: string;
  path: string;
}

/** Genesys's error body (`ErrorBody` in the spec). */
export interface GenesysErrorBody {
  message?: string;
  code?: string;
  status?: number;
  messageWithParams?: string;
  messageParams?: Record<string, string>;
  contextId?: string;
  entityId?: string;
  entityName?: string;
  details?: unknown[];
  errors?: unknown[];
}

export interface GenesysApiErrorInit {
  status: number;
  body: unknown;
  headers: Headers;
  operation: OperationRef;
  requiredPermissions?: RequiredPermissions;
}

/**
 * A non-2xx answer from the API. Returned as `error` by every call (openapi-fetch's `{ data, error, response }`),
 * thrown by `unwrap()`. It also carries every field of Genesys's error body.
 */
export class GenesysApiError extends GenesysError implements GenesysErrorBody {
  override name = "GenesysApiError";
  readonly status: number;
  /** Genesys error code, e.g. `too.many.requests.retry.after`, `missing.permissions`, `not.found`. */
  readonly code: string | undefined;
  readonly messageWithParams: string | undefined;
  readonly messageParams: Record<string, string> | undefined;
  /** `ININ-Correlation-Id` header, else the body's `contextId`: quote it to Genesys support. */
  readonly correlationId: string | undefined;
  readonly contextId: string | undefined;
  readonly entityId: string | undefined;
  readonly entityName: string | undefined;
  readonly details: unknown[] | undefined;
  readonly errors: unknown[] | undefined;
  /** Seconds from the `Retry-After` header, when present. */
  readonly retryAfter: number | undefined;
  readonly operation: OperationRef;
  /** For 403 `missing.permissions`: what the spec says the operation requires. */
  readonly requiredPermissions: RequiredPermissions | undefined;
  /** The raw body when it was not Genesys's JSON error shape. */
  readonly body: unknown;

  constructor({ status, body, headers, operation, requiredPermissions }: GenesysApiErrorInit) {
    const b: GenesysErrorBody = body && typeof body === "object" ? (body as GenesysErrorBody) : {};
    const text = b.message ?? (typeof body === "string" && body ? body.slice(0, 200) : `HTTP ${status}`);
    const perms = requiredPermissions
      ? ` Required permissions (${requiredPermissions.type === "ALL" ? "all of" : "any of"}): ${requiredPermissions.permissions.join(", ")}.`
      : "";
    super(`${operation.method} ${operation.path} failed with ${status}${b.code ? ` ${b.code}` : ""}: ${text}${perms}`);
    this.status = status;
    this.code = b.code;
    this.messageWithParams = b.messageWithParams;
    this.messageParams = b.messageParams;
    this.contextId = b.contextId;
    this.correlationId = headers.get("inin-correlation-id") ?? b.contextId;
    this.entityId = b.entityId;
    this.entityName = b.entityName;
    this.details = b.details;
    this.errors = b.errors;
    this.retryAfter = retryAfterSeconds(headers.get("retry-after"));
    this.operation = operation;
    this.requiredPermissions = requiredPermissions;
    this.body = body;
  }

  override toJSON(): Record<string, unknown> {
    const { name, message, status, code, messageParams, correlationId, retryAfter, operation, requiredPermissions } = this;
    return { name, message, status, code, messageParams, correlationId, retryAfter, operation, requiredPermissions };
  }
}

/** A path parameter that would change the route (`""`, `"."`, `".."`) or is missing: refused before anything is sent. */
export class InvalidPathParameterError extends ConfigurationError {
  override name = "InvalidPathParameterError";
  constructor(
    readonly parameter: string,
    readonly operation: OperationRef,
    problem: string,
  ) {
    super(`${operation.method} ${operation.path}: path parameter "${parameter}" ${problem}; nothing was sent.`);
  }
}

/**
 * The connection failed (refused, reset, DNS, TLS) before an answer arrived, or broke while the answer's body
 * was read. `mayHaveBeenProcessed` is true when the request had been sent: a POST may then have done its work.
 */
export class NetworkError extends GenesysError {
  override name = "NetworkError";
  constructor(
    message: string,
    readonly operation: OperationRef,
    /** The system or undici error code, e.g. `ECONNRESET`, `UND_ERR_SOCKET`, when there is one. */
    readonly code: string | undefined,
    readonly mayHaveBeenProcessed: boolean,
    options?: { cause?: unknown },
  ) {
    super(message, options);
  }
}

/** The server answered with a success status but a body that is not what it claims (e.g. malformed JSON). */
export class InvalidResponseError extends GenesysError {
  override name = "InvalidResponseError";
  constructor(
    message: string,
    readonly operation: OperationRef,
    readonly status: number,
    /** `ININ-Correlation-Id` of the answer: quote it to Genesys support. */
    readonly correlationId: string | undefined,
    options?: { cause?: unknown },
  ) {
    super(message, options);
  }
}

/** Base of the errors the resilience pipeline raises instead of sending (or finishing) a request. */
export class ResilienceError extends GenesysError {
  override name = "ResilienceError";
  constructor(
    message: string,
    readonly operation: OperationRef,
    options?: { cause?: unknown },
  ) {
    super(message, options);
  }
}

/** The circuit of a route group is open: calls fail fast until it probes again. */
export class BreakerOpenError extends ResilienceError {
  override name = "BreakerOpenError";
  constructor(
    readonly routeGroup: string,
    readonly probeAt: number,
    operation: OperationRef,
  ) {
    super(
      `Circuit for route group "${routeGroup}" is open after repeated failures; ${operation.method} ${operation.path} was not sent. ` +
        `It will probe again at ${new Date(probeAt).toISOString()}.`,
      operation,
    );
  }
}

/** The bulkhead's queue is full: the call was refused without being sent. */
export class BulkheadFullError extends ResilienceError {
  override name = "BulkheadFullError";
  constructor(
    readonly maxConcurrent: number,
    readonly maxQueued: number,
    operation: OperationRef,
  ) {
    super(
      `Too many calls in flight: ${maxConcurrent} running and ${maxQueued} queued (the bulkhead's limits); ${operation.method} ${operation.path} was refused.`,
      operation,
    );
  }
}

/** An attempt or the whole call ran out of time. */
export class TimeoutError extends ResilienceError {
  override name = "TimeoutError";
  constructor(
    readonly scope: "attempt" | "total",
    readonly timeoutMs: number,
    operation: OperationRef,
  ) {
    super(
      scope === "attempt"
        ? `${operation.method} ${operation.path}: an attempt took longer than ${timeoutMs} ms and was aborted.`
        : `${operation.method} ${operation.path}: the call's total deadline of ${timeoutMs} ms passed.`,
      operation,
    );
  }
}

/** The caller aborted the call (its `AbortSignal` fired). */
export class AbortedError extends ResilienceError {
  override name = "AbortedError";
  constructor(operation: OperationRef, reason?: unknown) {
    super(`${operation.method} ${operation.path} was aborted by the caller.`, operation, { cause: reason });
  }
}

/** Retrying stopped: attempts, total retry time, or a `Retry-After` longer than allowed. */
export class RetryBudgetExceededError extends ResilienceError {
  override name = "RetryBudgetExceededError";
  constructor(
    readonly reason: "max-attempts" | "retry-budget" | "retry-after-too-long",
    readonly attempts: number,
    detail: string,
    operation: OperationRef,
    readonly lastStatus?: number,
    options?: { cause?: unknown },
  ) {
    super(`${operation.method} ${operation.path} gave up after ${attempts} attempt(s): ${detail}`, operation, options);
  }
}

/**
 * Getting a token failed. Never contains the client secret, the Basic credential or a token: the message and
 * `cause` are scrubbed of them, and the token endpoint's answer body is never copied in except its error code
 * and description.
 */
export class AuthError extends GenesysError {
  override name = "AuthError";
  /** Seconds the token endpoint asked to wait (`Retry-After` of its 429): no token request is made before then. */
  readonly retryAfter: number | undefined;
  constructor(
    message: string,
    /** HTTP status of the token endpoint's last answer; undefined for network errors, timeouts, bad options. */
    readonly status?: number,
    /** OAuth `error` (e.g. `invalid_client`) or Genesys `code` from the token endpoint's answer. */
    readonly code?: string,
    options?: { cause?: unknown; retryAfter?: number },
  ) {
    super(message, options?.cause === undefined ? undefined : { cause: options.cause });
    this.retryAfter = options?.retryAfter;
  }
}

/** Why paging stopped with an error. */
export type PaginationErrorReason =
  /** `nextUri` points to another origin than the API's: not followed (it would receive the bearer token). */
  | "foreign-next-uri"
  /** `nextUri` is not a URL, or leaves the API base path. */
  | "invalid-next-uri"
  /** The server returned a `nextUri`/cursor it had returned before: following it would loop forever. */
  | "repeated-page"
  /** A page's body is not a paged listing (no `entities` array). */
  | "invalid-page";

/** Paging could not continue (e.g. a `nextUri` that leaves the API origin, or a cursor the server repeats). */
export class PaginationError extends GenesysError {
  override name = "PaginationError";
  constructor(
    message: string,
    readonly reason: PaginationErrorReason,
    /** The listing being walked: method and path template. */
    readonly operation: OperationRef,
    /** For `foreign-next-uri`: the origin the `nextUri` pointed to. */
    readonly foreignOrigin?: string,
  ) {
    super(message);
  }
}

/** Why an async job (`gc.jobs.run()`) ended without results. */
export type JobErrorReason =
  /** The server reported a failure state (`FAILED`, `CANCELLED`, `EXPIRED`, `Failed`, …). */
  | "failed"
  /** The job was still running when `maxWaitMs` passed (it was cancelled where the API allows). */
  | "timeout"
  /** An answer lacked what the job needs: an id in the submit answer, a state in a status answer, a date in an availability answer. */
  | "invalid-answer";

/** An async job ended without results: it failed on the server, took longer than allowed, or answered nonsense. */
export class JobError extends GenesysError {
  override name = "JobError";
  constructor(
    message: string,
    readonly reason: JobErrorReason,
    /** The job's id (`jobId`, or an audit query's `id`); undefined when the submit answer had none. */
    readonly jobId: string | undefined,
    /** The last state the server reported (`FAILED`, `Cancelled`, `PENDING`, …). */
    readonly state: string | undefined,
    /** The server's explanation (a status answer's `errorMessage`), when it gave one. */
    readonly serverMessage: string | undefined,
    /** The operation that reported it: the status GET, or the submit POST. */
    readonly operation: OperationRef,
  ) {
    super(message);
  }
}

/** Why a notification stream could not start, or stopped. */
export type NotificationErrorReason =
  /** The channel's `connectUri` is not on the region's streaming host (or, for a loopback `baseUrl`, that host): not connected to. */
  | "foreign-connect-uri"
  /** The channel's `connectUri` is not a `wss://` (or loopback `ws://`) URL. */
  | "invalid-connect-uri"
  /** More topics than `maxChannels` × 1,000 (Genesys allows at most 1,000 topics per channel). */
  | "too-many-topics"
  /** A topic name is not a Genesys topic (`v2.…`), or Genesys rejected the subscription (`rejectionReason` in `topics`). */
  | "invalid-topic"
  /** No global `WebSocket` (Node 20) and the optional peer dependency `ws` is not installed. */
  | "websocket-unavailable"
  /** Creating the channel, subscribing or connecting failed in a way retrying cannot fix (e.g. 401, 403, 400). */
  | "connect-failed"
  /** The stream was closed (by `close()`, its `signal`, or a failure) before the operation finished. */
  | "closed";

/** A notification stream failed: bad topics, a foreign `connectUri`, no WebSocket implementation, a failure retrying cannot fix. */
export class NotificationError extends GenesysError {
  override name = "NotificationError";
  constructor(
    message: string,
    readonly reason: NotificationErrorReason,
    /** The topics concerned (rejected, over the limit, or those of the channel that failed). */
    readonly topics?: readonly string[],
    options?: { cause?: unknown },
  ) {
    super(message, options);
  }
}
