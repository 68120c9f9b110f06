// "Naive retry": the fix most often posted in forum threads. A fetch wrapper that retries a 429 three times,
// after 1 s, 2 s and 4 s, without jitter, ignoring Retry-After.
import { userIdFor, type BenchClient } from "./types.js";

const DELAYS_MS = [1000, 2000, 4000];

export const naiveRetry: BenchClient = {
  id: "naive-retry",
  label: "naive retry (1/2/4 s)",
  async create(target) {
    const headers = { authorization: `Bearer ${target.token}` };
    let retries = 0;
    async function fetchWithRetry(url: string): Promise<Response> {
      for (let attempt = 0; ; attempt++) {
        const response = await fetch(url, { headers });
        if (response.status !== 429 || attempt >= DELAYS_MS.length) return response;
        await response.arrayBuffer();
        retries++;
        await new Promise((resolve) => setTimeout(resolve, DELAYS_MS[attempt]));
      }
    }
    return {
      async call(i) {
        try {
          const response = await fetchWithRetry(`${target.url}/api/v2/users/${encodeURIComponent(userIdFor(target, i))}`);
          await response.arrayBuffer();
          return response.ok;
        } catch {
          return false;
        }
      },
      retries: () => retries,
    };
  },
};
