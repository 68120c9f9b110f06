// Async jobs: submit, wait (growing poll intervals, abort-aware), stream the cursor-paged results.
export { createJobs, type JobsDeps, type JobsRuntime } from "./jobs.js";
export { listJobFamilies, type JobFamily } from "./families.js";
export type * from "./types.js";
