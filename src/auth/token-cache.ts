// A cached token with single-flight renewal:
// - fresh token → served from memory;
// - inside the refresh window (`skew` before expiry) → still served, while ONE renewal runs in the background;
// - no token, expired, or rejected by a 401 → callers wait for ONE shared renewal.
// However many callers arrive at once, at most one token request is in flight.

/** Never renew earlier than this fraction of a token's lifetime before expiry (short-lived tokens). */
export const MAX_SKEW_FRACTION = 0.5;
/** After a background renewal failed, the next one starts no sooner than this (the token is still valid). */
const BACKGROUND_RETRY_MS = 1_000;

export interface FetchedToken {
  value: string;
  /** Undefined: no known expiry; kept until `invalidate`. */
  lifetimeMs: number | undefined;
}

export interface TokenCacheOptions {
  fetchToken(signal: AbortSignal): Promise<FetchedToken>;
  refreshSkewMs: number;
  /** Clock, for tests. Default `Date.now`. */
  now?: () => number;
}

export interface TokenCache {
  get(signal?: AbortSignal): Promise<string>;
  /** Forgets `failed` if it is still the cached token; a newer token is kept. */
  invalidate(failed: string): void;
}

interface Entry {
  value: string;
  expiresAt: number;
  refreshAt: number;
}

interface Flight {
  promise: Promise<string>;
  controller: AbortController;
  /** Callers waiting on it. A foreground flight left by all of them is aborted; a background one never is. */
  waiters: number;
  background: boolean;
}

export function createTokenCache({ fetchToken, refreshSkewMs, now = Date.now }: TokenCacheOptions): TokenCache {
  let current: Entry | undefined;
  let flight: Flight | undefined;
  let backgroundNotBefore = 0;

  function start(background: boolean): Flight {
    const controller = new AbortController();
    // Expiry counts from when the request was sent: the conservative end.
    const sentAt = now();
    const f: Flight = { promise: undefined as unknown as Promise<string>, controller, waiters: 0, background };
    f.promise = (async () => {
      try {
        const { value, lifetimeMs } = await fetchToken(controller.signal);
        current = toEntry(value, lifetimeMs, sentAt, refreshSkewMs);
        return value;
      } finally {
        if (flight === f) flight = undefined;
      }
    })();
    // Waiters get the rejection; nobody else should see it as unhandled.
    f.promise.catch(() => {
      if (background) backgroundNotBefore = now() + BACKGROUND_RETRY_MS;
    });
    flight = f;
    return f;
  }

  function join(f: Flight, signal: AbortSignal | undefined): Promise<string> {
    if (!signal) {
      f.waiters++;
      return f.promise;
    }
    if (signal.aborted) return Promise.reject(signal.reason);
    f.waiters++;
    return new Promise<string>((resolve, reject) => {
      const onAbort = () => {
        f.waiters--;
        if (f.waiters === 0 && !f.background) {
          // Nobody wants this token any more: stop the request; the next caller starts a new one.
          if (flight === f) flight = undefined;
          f.controller.abort(signal.reason);
        }
        reject(signal.reason);
      };
      signal.addEventListener("abort", onAbort, { once: true });
      f.promise.then(resolve, reject).finally(() => signal.removeEventListener("abort", onAbort));
    });
  }

  return {
    get(signal) {
      const t = now();
      if (current && t < current.refreshAt) return Promise.resolve(current.value);
      if (current && t < current.expiresAt) {
        if (!flight && t >= backgroundNotBefore) start(true);
        return Promise.resolve(current.value);
      }
      return join(flight ?? start(false), signal);
    },
    invalidate(failed) {
      if (current?.value === failed) current = undefined;
    },
  };
}

/** Renewal time: `skew` before expiry, where skew ≤ MAX_SKEW_FRACTION of the lifetime. */
export function toEntry(value: string, lifetimeMs: number | undefined, sentAt: number, refreshSkewMs: number): Entry {
  if (lifetimeMs === undefined) return { value, expiresAt: Infinity, refreshAt: Infinity };
  const skew = Math.min(refreshSkewMs, lifetimeMs * MAX_SKEW_FRACTION);
  return { value, expiresAt: sentAt + lifetimeMs, refreshAt: sentAt + lifetimeMs - skew };
}
