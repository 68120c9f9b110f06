// The strongest peers against the rate limit, each as its own documentation or the forum answer describes it.
//  - seed-2 fix: the per-call fix a Genesys forum answer suggests — wait `Retry-After` + U(0, 1) s, 5 tries.
//  - Bottleneck paced at the documented limit, as Octokit's throttling plugin does (a limiter configured up front
//    from the documented numbers, retrying a 429 after its Retry-After).
//  - AWS-style adaptive: the client-side rate limiter of the AWS SDK's adaptive retry mode, rewritten from
//    @smithy/util-retry's DefaultRateLimiter (CUBIC: β 0.7, scale 0.4, smoothing 0.8 over 0.5 s buckets, token
//    bucket of the computed rate, enabled at the first throttle) with its exponential backoff for the retry
//    (random × 2ⁿ × 100 ms, at most 20 s; AWS ignores Retry-After), 5 tries as the others.
import { createRequire } from "node:module";
import { userIdFor, type BenchClient, type BenchTarget } from "./types.js";

const TRIES = 5;
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** One GET with a retry policy: `delay(attempt, response)` ms before the next try. */
function retryingFetch(
  target: BenchTarget,
  delay: (attempt: number, response: Response) => number,
  before?: () => Promise<void>,
  after?: (response: Response) => void,
) {
  const headers = { authorization: `Bearer ${target.token}` };
  let retries = 0;
  return {
    async call(i: number): Promise<boolean> {
      const url = `${target.url}/api/v2/users/${encodeURIComponent(userIdFor(target, i))}`;
      try {
        for (let attempt = 1; ; attempt++) {
          await before?.();
          const response = await fetch(url, { headers });
          await response.arrayBuffer();
          after?.(response);
          if (response.status !== 429 || attempt >= TRIES) return response.ok;
          retries++;
          await sleep(delay(attempt, response));
        }
      } catch {
        return false;
      }
    },
    retries: () => retries,
  };
}

const retryAfterMs = (response: Response) => Number(response.headers.get("retry-after") ?? "1") * 1000;

export const seed2Fix: BenchClient = {
  id: "seed2-fix",
  label: "seed-2 fix (Retry-After + U(0,1) s, 5 tries)",
  async create(target) {
    return retryingFetch(target, (_attempt, response) => retryAfterMs(response) + Math.random() * 1000);
  },
};

interface BottleneckLike {
  schedule<T>(fn: () => Promise<T>): Promise<T>;
}
type BottleneckCtor = new (options: Record<string, number | null>) => BottleneckLike;

export const bottleneckPaced: BenchClient = {
  id: "bottleneck",
  label: "Bottleneck at the documented limit (as Octokit)",
  async create(target) {
    const Bottleneck = createRequire(import.meta.url)("bottleneck") as BottleneckCtor;
    const doc = target.documented;
    // A rate → even spacing; a window → its count per window, refilled each window.
    const limiter = !doc
      ? new Bottleneck({})
      : doc.windowMs
        ? new Bottleneck({ reservoir: doc.count, reservoirRefreshAmount: doc.count, reservoirRefreshInterval: doc.windowMs })
        : new Bottleneck({ minTime: 1000 / doc.count });
    const run = retryingFetch(target, (_attempt, response) => retryAfterMs(response));
    return {
      call: (i) => limiter.schedule(() => run.call(i)),
      retries: run.retries,
      notes: [doc ? `configured from the documented limit: ${JSON.stringify(doc)}` : "no documented limit: unpaced"],
    };
  },
};

/** @smithy/util-retry's DefaultRateLimiter, same constants, same update rule. */
function awsRateLimiter() {
  const beta = 0.7,
    minCapacity = 1,
    minFillRate = 0.5,
    scale = 0.4,
    smooth = 0.8;
  const now = () => performance.now() / 1000;
  let fillRate = minFillRate,
    maxCapacity = minCapacity,
    capacity = 0,
    lastTimestamp = 0,
    enabled = false;
  let lastMaxRate = 0,
    lastThrottleTime = now(),
    timeWindow = 0,
    measuredTxRate = 0,
    requestCount = 0;
  let lastTxRateBucket = Math.floor(now());
  const refill = () => {
    const t = now();
    if (!lastTimestamp) return void (lastTimestamp = t);
    capacity = Math.min(maxCapacity, capacity + (t - lastTimestamp) * fillRate);
    lastTimestamp = t;
  };
  return {
    async acquire(): Promise<void> {
      if (!enabled) return;
      refill();
      while (capacity < 1) {
        await sleep(((1 - capacity) / fillRate) * 1000);
        refill();
      }
      capacity -= 1;
    },
    update(throttled: boolean): void {
      const t = now();
      const bucket = Math.floor(t * 2) / 2;
      requestCount++;
      if (bucket > lastTxRateBucket) {
        measuredTxRate = (requestCount / (bucket - lastTxRateBucket)) * smooth + measuredTxRate * (1 - smooth);
        requestCount = 0;
        lastTxRateBucket = bucket;
      }
      let rate: number;
      if (throttled) {
        lastMaxRate = enabled ? Math.min(measuredTxRate, fillRate) : measuredTxRate;
        timeWindow = Math.cbrt((lastMaxRate * (1 - beta)) / scale);
        lastThrottleTime = t;
        rate = lastMaxRate * beta;
        enabled = true;
      } else {
        timeWindow = Math.cbrt((lastMaxRate * (1 - beta)) / scale);
        rate = scale * (t - lastThrottleTime - timeWindow) ** 3 + lastMaxRate;
      }
      refill();
      fillRate = Math.max(Math.min(rate, 2 * measuredTxRate), minFillRate);
      maxCapacity = Math.max(Math.min(rate, 2 * measuredTxRate), minCapacity);
      capacity = Math.min(capacity, maxCapacity);
    },
  };
}

export const awsAdaptive: BenchClient = {
  id: "aws-adaptive",
  label: "AWS-style adaptive (CUBIC, β 0.7)",
  async create(target) {
    const limiter = awsRateLimiter();
    return retryingFetch(
      target,
      (attempt) => Math.min(20_000, Math.random() * 2 ** attempt * 100),
      () => limiter.acquire(),
      (r) => limiter.update(r.status === 429),
    );
  },
};
