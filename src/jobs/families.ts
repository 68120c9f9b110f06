// The job families the SDK knows, from the generated table (src/generated/jobs.ts), and their derived paths.
import { ConfigurationError } from "../errors.js";
import { jobFamilies } from "../generated/jobs.js";

export interface JobFamily {
  submitPath: string;
  statusPath: string;
  resultsPath: string;
  /** Field of the submit answer with the job's id. */
  id: string;
  /** Path parameter of the status path. */
  param: string;
  /** Field of a status answer with the state. */
  state: string;
  /** Terminal states, upper-cased: Genesys mixes `FULFILLED` and `Succeeded`. */
  done: readonly string[];
  failed: readonly string[];
  /** Field of a results page with the items. */
  items: string;
  cancel: boolean;
  availability: boolean;
}

const table = jobFamilies as Record<string, (typeof jobFamilies)[keyof typeof jobFamilies] | undefined>;

/** The family of submit path `path`; a ConfigurationError listing the known ones otherwise. */
export function jobFamily(path: string): JobFamily {
  const row = Object.hasOwn(table, path) ? table[path] : undefined;
  if (!row) {
    throw new ConfigurationError(
      `${String(path)} is not the submit path of an async job family with cursor-paged results. Known: ${Object.keys(table).join(", ")}.`,
    );
  }
  const statusPath = `${path}/{${row.param}}`;
  return {
    submitPath: path,
    statusPath,
    resultsPath: `${statusPath}/results`,
    id: row.id,
    param: row.param,
    state: row.state,
    done: row.done.map((s) => s.toUpperCase()),
    failed: row.failed.map((s) => s.toUpperCase()),
    items: row.items,
    cancel: row.cancel === 1,
    availability: row.availability === 1,
  };
}

/** Every known family. */
export function listJobFamilies(): JobFamily[] {
  return Object.keys(table).map(jobFamily);
}
