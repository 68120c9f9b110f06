// One token request per token lifetime for a whole fleet: the token cache's renewals (token-cache.ts) go through
// the fleet's `SharedTokenStore` first. A renewal takes the shared token when it is fresh; else the one member
// holding the lock asks the token endpoint and stores the answer, while the others wait for it (or keep using the
// shared token while it is still valid). The lock expires (a member that dies while asking costs the fleet at most
// `lockMs`) and its holder extends it while its request runs. Whenever the store fails or is slow, the renewal
// goes to the token endpoint alone, exactly as without a store: sharing never fails a call.
import type { SharedToken, SharedTokenStore } from "../coordination/types.js";
import { sleep } from "../resilience/abort.js";
import { MAX_SKEW_FRACTION, type FetchedToken } from "./token-cache.js";

/** Lock expiry: what a member that died while asking costs the others at most. Extended every third of it while the request runs. */
export const TOKEN_LOCK_MS = 5_000;
/** How often a waiting member looks again (a "stored" notice wakes it sooner). */
const POLL_MS = 50;
/** Safety net around each store call (the store's own step timeout is shorter). */
const STORE_CALL_MS = 2_000;
/** A shared token this close to its expiry is not handed out. */
const MIN_REMAINING_MS = 1_000;
/** Tokens rejected by a 401 here, never taken from the store again (a store that missed the invalidation). */
const MAX_REJECTED = 16;

const unavailable = Symbol("store unavailable");
type Maybe<T> = T | typeof unavailable;

export interface SharedTokenSource {
  /** The cache's `fetchToken`: shared token, or one request for the fleet, or a request alone. */
  fetchToken(signal: AbortSignal): Promise<FetchedToken>;
  /** A 401 rejected `value` here: forget it fleet-wide (fire and forget). */
  invalidate(value: string): void;
}

export interface SharedTokenOptions {
  store: SharedTokenStore;
  /** The token endpoint (with its own retry). */
  requestToken(signal: AbortSignal): Promise<FetchedToken>;
  refreshSkewMs: number;
  lockMs?: number;
}

export function createSharedTokenSource({ store, requestToken, refreshSkewMs, lockMs = TOKEN_LOCK_MS }: SharedTokenOptions): SharedTokenSource {
  const rejected: string[] = [];
  let invalidating: Promise<unknown> = Promise.resolve();
  const wakers = new Set<() => void>();
  store.onChange((change) => {
    if (change.type === "stored") for (const wake of [...wakers]) wake();
  });

  const usable = (t: SharedToken | undefined): t is SharedToken =>
    t !== undefined && !rejected.includes(t.value) && (t.remainingMs === undefined || t.remainingMs > MIN_REMAINING_MS);
  /** Outside its refresh window: nobody needs to renew it yet. */
  const fresh = (t: SharedToken) => t.remainingMs === undefined || t.remainingMs > Math.min(refreshSkewMs, (t.lifetimeMs ?? t.remainingMs) * MAX_SKEW_FRACTION);
  const asFetched = (t: SharedToken): FetchedToken => ({ value: t.value, lifetimeMs: t.remainingMs });

  async function requestAndStore(signal: AbortSignal): Promise<FetchedToken> {
    // Extend the lock while the request runs, so a slow token endpoint does not let a second member in.
    const beat = setInterval(() => void bounded(() => store.lock(lockMs)), Math.max(100, lockMs / 3));
    (beat as { unref?: () => void }).unref?.();
    try {
      const token = await requestToken(signal);
      await bounded(() => store.set(token.value, token.lifetimeMs));
      return token;
    } finally {
      clearInterval(beat);
      void bounded(() => store.unlock());
    }
  }

  async function fetchToken(signal: AbortSignal): Promise<FetchedToken> {
    await bounded(() => invalidating); // our own 401's invalidation first: the store must not hand that token back
    const giveUpAt = performance.now() + 2 * lockMs;
    for (;;) {
      const shared = await bounded(() => store.get());
      if (shared === unavailable) return requestAlone(signal);
      if (usable(shared) && fresh(shared)) return asFetched(shared);
      const locked = await bounded(() => store.lock(lockMs));
      if (locked === unavailable) return requestAlone(signal);
      if (locked) {
        // Another member may have stored a token and let go of the lock between our look and our lock: look again.
        const again = await bounded(() => store.get());
        if (again !== unavailable && usable(again) && fresh(again)) {
          void bounded(() => store.unlock());
          return asFetched(again);
        }
        return requestAndStore(signal);
      }
      // Another member is renewing: a token that is still valid serves meanwhile.
      if (usable(shared)) return asFetched(shared);
      if (performance.now() > giveUpAt) return requestAlone(signal);
      await waitForNotice(signal);
    }
  }

  /** Without the store (down, slow, or its lock holder never finished): as a single process would, then offer the token. */
  async function requestAlone(signal: AbortSignal): Promise<FetchedToken> {
    const token = await requestToken(signal);
    void bounded(() => store.set(token.value, token.lifetimeMs));
    return token;
  }

  function waitForNotice(signal: AbortSignal): Promise<void> {
    let wake!: () => void;
    const noticed = new Promise<void>((resolve) => (wake = resolve));
    wakers.add(wake);
    return Promise.race([noticed, sleep(POLL_MS, signal)]).finally(() => wakers.delete(wake));
  }

  return {
    fetchToken,
    invalidate(value) {
      if (!rejected.includes(value)) rejected.push(value);
      if (rejected.length > MAX_REJECTED) rejected.shift();
      invalidating = bounded(() => store.invalidate(value));
    },
  };
}

/** A store call that never rejects and never takes longer than STORE_CALL_MS: `unavailable` when it failed. */
function bounded<T>(run: () => Promise<T>): Promise<Maybe<T>> {
  return new Promise<Maybe<T>>((resolve) => {
    const timer = setTimeout(() => resolve(unavailable), STORE_CALL_MS);
    (timer as { unref?: () => void }).unref?.();
    const settle = (value: Maybe<T>) => {
      clearTimeout(timer);
      resolve(value);
    };
    try {
      run().then(settle, () => settle(unavailable));
    } catch {
      settle(unavailable);
    }
  });
}
