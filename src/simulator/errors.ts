// Genesys's error body (`ErrorBody`): every error answer of the simulator has this shape.

export interface SimErrorBody {
  message: string;
  code: string;
  status: number;
  contextId: string;
  details: unknown[];
  errors: unknown[];
}

/** The body Genesys sends with an error; `contextId` is the request's correlation id, as on Genesys. */
export function errorBody(status: number, code: string, message: string, contextId: string): SimErrorBody {
  return { message, code, status, contextId, details: [], errors: [] };
}

/** Genesys's 429 body: the message quotes the seconds to wait. */
export function rateLimitBody(retryAfterSeconds: number | undefined, contextId: string): SimErrorBody {
  if (retryAfterSeconds === undefined) return errorBody(429, "too.many.requests", "Rate limit exceeded the maximum.", contextId);
  return errorBody(429, "too.many.requests.retry.after", `Rate limit exceeded the maximum. Retry the request in [${retryAfterSeconds}] seconds`, contextId);
}

const SERVER_ERRORS: Record<number, [code: string, message: string]> = {
  500: ["internal.server.error", "The server encountered an unexpected condition which prevented it from fulfilling the request."],
  502: ["bad.gateway", "The server received an invalid response from an upstream server."],
  503: ["service.unavailable", "Service Unavailable - The server is currently unavailable (because it is overloaded or down for maintenance)."],
  504: ["gateway.timeout", "The request timed out."],
};

/** The body for a faulted status (429 or 5xx). */
export function statusFaultBody(status: number, retryAfterSeconds: number | undefined, contextId: string): SimErrorBody {
  if (status === 429) return rateLimitBody(retryAfterSeconds, contextId);
  const [code, message] = SERVER_ERRORS[status] ?? ["server.error", `HTTP ${status}`];
  return errorBody(status, code, message, contextId);
}

/** Thrown by a route handler to answer with Genesys's error body. */
export class SimHttpError extends Error {
  override name = "SimHttpError";
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
  ) {
    super(message);
  }
}

export const badRequest = (message: string) => new SimHttpError(400, "bad.request", message);
export const notFound = (message: string) => new SimHttpError(404, "not.found", message);
