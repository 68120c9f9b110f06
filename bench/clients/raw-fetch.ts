// Raw `fetch`, no retry: what a script without any library does.
import { userIdFor, type BenchClient } from "./types.js";

export const rawFetch: BenchClient = {
  id: "raw-fetch",
  label: "raw fetch",
  async create(target) {
    const headers = { authorization: `Bearer ${target.token}` };
    return {
      async call(i) {
        try {
          const response = await fetch(`${target.url}/api/v2/users/${encodeURIComponent(userIdFor(target, i))}`, { headers });
          await response.arrayBuffer();
          return response.ok;
        } catch {
          return false;
        }
      },
      retries: () => 0,
    };
  },
};
