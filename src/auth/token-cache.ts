// A cached token with single-flight renewal, and failures shared the same way:
// - fresh token → served from memory;
// - inside the refresh window (`skew` before expiry) → still served, while ONE renewal runs in the background;
// - no token, expired, or rejected by a 401 → callers wait for ONE shared renewal;
// - that renewal failed → every caller waiting on it fails with the same AuthError, and so does every caller
//   during a cool-down after it (the 429's Retry-After, else 1 s doubling to 30 s), so a login endpoint in
//   trouble sees one request per cool-down, however many calls want a token.

import { AuthError } from "../errors.js";
import { neverAborted } from "../resilience/abort.js";
import { WaiterQueue } from "../resilience/waiters.js";

/** Never renew earlier than this fraction of a token's lifetime before expiry (short-lived tokens). */
export const MAX_SKEW_FRACTION = 0.5;
/** Cool-down after the first failed renewal; doubled per consecutive failure up to MAX_COOL_DOWN_MS. */
export const BASE_COOL_DOWN_MS = 1_000;
export const MAX_COOL_DOWN_MS = 30_000;

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
  /** Forgets the cached token if `test` says so (another process's 401 rejected it). */
  invalidateIf(test: (token: string) => boolean): void;
}

interface Entry {
  value: string;
  expiresAt: number;
  refreshAt: number;
}

interface Flight {
  controller: AbortController;
  waiters: WaiterQueue<string>;
  /** Renewal while the old token is still valid: nobody waits on it, it is never aborted. */
  background: boolean;
}

export function createTokenCache({ fetchToken, refreshSkewMs, now = Date.now }: TokenCacheOptions): TokenCache {
  let current: Entry | undefined;
  let flight: Flight | undefined;
  let failure: { error: unknown; until: number } | undefined;
  let failures = 0;

  function start(background: boolean): Flight {
    const controller = new AbortController();
    const f: Flight = {
      controller,
      background,
      waiters: new WaiterQueue<string>({
        onEmpty() {
          // Every waiter left (aborted): nobody wants this token any more; the next caller starts anew.
          if (f.background || flight !== f) return;
          flight = undefined;
          controller.abort(new AuthError("Every caller waiting for this token left."));
        },
      }),
    };
    const sentAt = now(); // expiry counts from when the request was sent: the conservative end
    flight = f;
    fetchToken(controller.signal).then(
      ({ value, lifetimeMs }) => {
        current = toEntry(value, lifetimeMs, sentAt, refreshSkewMs);
        failures = 0;
        failure = undefined;
        if (flight === f) flight = undefined;
        f.waiters.grantAll(value);
      },
      (error: unknown) => {
        if (flight === f) flight = undefined;
        if (controller.signal.aborted) return; // abandoned: not a verdict on the login endpoint
        failures++;
        failure = { error, until: now() + coolDownMs(error, failures) };
        f.waiters.rejectAll(error);
      },
    );
    return f;
  }

  return {
    get(signal = neverAborted) {
      const t = now();
      const coolingDown = failure !== undefined && t < failure.until;
      if (current && t < current.refreshAt) return Promise.resolve(current.value);
      if (current && t < current.expiresAt) {
        if (!flight && !coolingDown) start(true);
        return Promise.resolve(current.value);
      }
      if (coolingDown && !flight) return Promise.reject(failure!.error);
      return (flight ?? start(false)).waiters.wait(signal, undefined);
    },
    invalidate(failed) {
      if (current?.value === failed) current = undefined;
    },
    invalidateIf(test) {
      if (current && test(current.value)) current = undefined;
    },
  };
}

/** How long after the `failures`-th failure in a row no new token request is made. */
export function coolDownMs(error: unknown, failures: number): number {
  const retryAfter = error instanceof AuthError ? error.retryAfter : undefined;
  if (retryAfter !== undefined) return retryAfter * 1000;
  return Math.min(MAX_COOL_DOWN_MS, BASE_COOL_DOWN_MS * 2 ** (failures - 1));
}

/** Renewal time: `skew` before expiry, where skew ≤ MAX_SKEW_FRACTION of the lifetime. */
export function toEntry(value: string, lifetimeMs: number | undefined, sentAt: number, refreshSkewMs: number): Entry {
  if (lifetimeMs === undefined) return { value, expiresAt: Infinity, refreshAt: Infinity };
  const skew = Math.min(refreshSkewMs, lifetimeMs * MAX_SKEW_FRACTION);
  return { value, expiresAt: sentAt + lifetimeMs, refreshAt: sentAt + lifetimeMs - skew };
}
