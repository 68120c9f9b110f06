// The one fetch wrapper every SDK call goes through: buffers the body once, attaches the bearer token
// (API origin only), handles 401 → refresh → replay, and hands each attempt to the resilience pipeline.
import type { Authenticator } from "../auth/types.js";
import type { EventHub } from "../events.js";
import type { Attempt, CallResilienceOptions, Pipeline } from "../resilience/types.js";

export interface TransportConfig {
  fetch: typeof globalThis.fetch;
  /** Origin (`https://api.mypurecloud.com`) whose requests get the bearer token. */
  apiOrigin: string;
  auth: Authenticator | undefined;
  pipeline: Pipeline;
  events: EventHub;
}

export interface SendOptions {
  /** Path template of the operation, e.g. `/api/v2/users/{userId}`. */
  path: string;
  resilience?: CallResilienceOptions | undefined;
  /** A per-call fetch replacing the client's for the network attempt. */
  fetch?: typeof globalThis.fetch | undefined;
}

export interface Transport {
  send(request: Request, options: SendOptions): Promise<Response>;
}

export function createTransport({ fetch: clientFetch, apiOrigin, auth, pipeline, events }: TransportConfig): Transport {
  // A Request's url is normalized (lower-case host, no default port, always a path), so a prefix test settles the
  // common case without parsing; anything else is parsed, so the rule stays "same origin" exactly.
  const apiPrefix = `${apiOrigin}/`;
  const isApiUrl = (url: string) => url.startsWith(apiPrefix) || new URL(url).origin === apiOrigin;

  return {
    async send(request, { path, resilience, fetch = clientFetch }) {
      // Buffered once: every attempt (retry, 401 replay) sends identical bytes.
      const body = request.body ? await request.arrayBuffer() : undefined;
      const { method, url } = request;
      const bearer = auth && isApiUrl(url) ? auth : undefined;

      const send = (signal: AbortSignal, token?: string) => {
        const headers = new Headers(request.headers);
        if (token) headers.set("authorization", `Bearer ${token}`);
        // (url, init), not a new Request: fetch builds its own Request from either, so one more would be waste.
        return fetch(url, { method, headers, body, signal, redirect: request.redirect });
      };

      const attempt: Attempt = async (signal) => {
        if (!bearer) return send(signal);
        const token = await bearer.token(signal);
        const response = await send(signal, token);
        if (response.status !== 401 || !bearer.invalidate(token)) return response;
        await response.body?.cancel();
        events.emit("tokenRefreshOn401", { method, path });
        return send(signal, await bearer.token(signal));
      };

      return pipeline.execute({ method, path, url, options: resilience, signal: request.signal }, attempt);
    },
  };
}
