// Path parameters that would move a request to another route are refused before anything is sent. openapi-fetch
// encodes each value with encodeURIComponent, which keeps a value in one segment ("/" becomes %2F) — except "."
// and "..", which URL parsing then removes as dot segments, and "", which leaves an empty segment: with
// `rowId: ".."`, DELETE …/datatables/DT1/rows/{rowId} would become DELETE …/datatables/DT1/.
import { InvalidPathParameterError, type OperationRef } from "../errors.js";

const names = new Map<string, string[]>(); // per path template: its parameter names (a few hundred templates at most)

function parameterNames(path: string): string[] {
  let found = names.get(path);
  if (!found) names.set(path, (found = [...path.matchAll(/\{([^}]+)\}/g)].map((m) => m[1])));
  return found;
}

export function checkPathParameters(operation: OperationRef, values: Record<string, unknown> | undefined): void {
  for (const name of parameterNames(operation.path)) {
    const value = values?.[name];
    if (value === undefined || value === null) throw new InvalidPathParameterError(name, operation, "is missing");
    const text = String(value);
    if (text === "" || text === "." || text === "..") {
      throw new InvalidPathParameterError(name, operation, `is ${JSON.stringify(text)}, which would change the request's route`);
    }
  }
}
