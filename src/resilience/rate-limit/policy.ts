// The rate limiter as a stage of the pipeline: every attempt waits for its turn, and its answer tells the limiter
// what the server allows (a 429 pauses everybody sharing the limit). One limiter per client, or per route group.
import type { EventHub } from "../../events.js";
import { retryAfterMs } from "../backoff.js";
import type { CallState } from "../call-state.js";
import type { ResolvedRateLimit } from "../options.js";
import { createRateLimiter, type RateLimiter } from "../rate-limiter.js";
import { Stage, type StagePolicy } from "../stage.js";

interface Scoped {
  limiter: RateLimiter;
  scope: string;
}

export class RateLimitStage extends Stage {
  private readonly byScope = new Map<string, Scoped>();

  constructor(private readonly config: ResolvedRateLimit, private readonly events: EventHub) {
    super();
  }

  forCall(call: CallState): StagePolicy {
    return this.view(async (fn, signal) => {
      const { limiter, scope } = this.scoped(call.routeGroup);
      const ticket = await limiter.acquire(signal);
      let response: Response | undefined;
      try {
        response = (await fn({ signal })) as Response;
        return response;
      } finally {
        const paused = limiter.complete(ticket, response);
        if (response?.status === 429) {
          const pause = paused?.pausedMs ?? retryAfterMs(response.headers) ?? 0;
          this.events.emit("rateLimited", { retryAfterMs: pause, scope, ...call.operation });
        }
      }
    });
  }

  limiters(): RateLimiter[] {
    return [...this.byScope.values()].map((s) => s.limiter);
  }

  private scoped(group: string): Scoped {
    const scope = this.config.scope === "client" ? "client" : group;
    let s = this.byScope.get(scope);
    if (!s) this.byScope.set(scope, (s = { limiter: createRateLimiter(this.config), scope }));
    return s;
  }
}
