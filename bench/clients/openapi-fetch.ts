// Bare openapi-fetch with the generated `paths` types: the typed client this SDK is built on, without it.
import createClient from "openapi-fetch";
import type { paths } from "../../src/generated/paths.js";
import { userIdFor, type BenchClient } from "./types.js";

export const openapiFetch: BenchClient = {
  id: "openapi-fetch",
  label: "openapi-fetch (bare)",
  async create(target) {
    const client = createClient<paths>({ baseUrl: target.url, headers: { authorization: `Bearer ${target.token}` } });
    return {
      async call(i) {
        try {
          const { error } = await client.GET("/api/v2/users/{userId}", { params: { path: { userId: userIdFor(target, i) } } });
          return error === undefined;
        } catch {
          return false;
        }
      },
      retries: () => 0,
    };
  },
};
