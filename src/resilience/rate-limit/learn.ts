// The lazily loaded part of the rate limiter (see learning.ts).
export { limited, probeSucceeded } from "./track-learning.js";
export { createQuotaModel } from "./quota-model.js";
