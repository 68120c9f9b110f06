// `gc.jobs`: submit an async job, wait for it, stream its results. Every request is an ordinary call of the client
// (auth, retries, Retry-After, the shared rate limiter); the results are walked by the client's pager.
// The path and the options are checked here, when called, so that a bad one throws before anything is sent (and
// before iterating); the rest (runner.ts) is loaded with the first job, not with every client.
import { jobFamily, type JobFamily } from "./families.js";
import { resolveJobOptions } from "./options.js";
import type { JobsDeps } from "./runner.js";
import type { JobAvailabilityOptions, JobOptions } from "./types.js";

export type { JobsDeps };

export interface JobsRuntime {
  run(path: string, init?: Record<string, unknown>, options?: JobOptions): AsyncGenerator<unknown, void, undefined>;
  pages(path: string, init?: Record<string, unknown>, options?: JobOptions): AsyncGenerator<Record<string, unknown>, void, undefined>;
  availability(path?: string, options?: JobAvailabilityOptions): Promise<Date>;
}

const DEFAULT_AVAILABILITY = "/api/v2/analytics/conversations/details/jobs";
const loadRunner = () => import("./runner.js");

export function createJobs(deps: JobsDeps): JobsRuntime {
  function pages(path: string, init: Record<string, unknown> = {}, options: JobOptions = {}) {
    return jobPages(jobFamily(path), init, options);
  }

  function run(path: string, init: Record<string, unknown> = {}, options: JobOptions = {}) {
    const family = jobFamily(path);
    return itemsOf(jobPages(family, init, options), family.items);
  }

  function jobPages(family: JobFamily, init: Record<string, unknown>, options: JobOptions) {
    const resolved = resolveJobOptions(options);
    return (async function* () {
      yield* (await loadRunner()).jobPages(deps, family, init, options, resolved);
    })();
  }

  async function availability(path = DEFAULT_AVAILABILITY, options: JobAvailabilityOptions = {}): Promise<Date> {
    const family = jobFamily(path);
    return (await loadRunner()).availability(deps.call, family, options);
  }

  return { pages, run, availability };
}

async function* itemsOf(pages: AsyncGenerator<Record<string, unknown>, void, undefined>, field: string) {
  for await (const page of pages) {
    const items = page[field];
    if (Array.isArray(items)) yield* items;
  }
}
