// The coordinator seam: how several clients — usually several processes of one integration, all using the same
// OAuth client — share what each of them would otherwise learn alone: the access token (one token request per
// token lifetime for the whole fleet) and, through the rate limiter's `LimitSharing`, the 429 pauses, what was
// learned about each limit and a fleet-wide rate. The core knows only this seam; `genesys-cloud-sdk/redis`
// implements it on Redis. Every method may fail or be slow: the SDK bounds each call and goes on alone.
import type { IDisposable, LimitSharing } from "../resilience/rate-limit/types.js";

/** What a client tells the coordinator about itself when it is created. */
export interface CoordinatorClient {
  /**
   * The OAuth client id for client-credentials auth (shared keys are derived from it, never from the secret);
   * undefined for `accessToken` clients and clients without auth: only the rate-limit part applies to them.
   */
  clientId: string | undefined;
  /** The API origin calls go to (`https://api.mypurecloud.com`, a simulator's URL). */
  apiOrigin: string;
}

/** A token as the fleet shares it. */
export interface SharedToken {
  value: string;
  /** ms it is still valid, as the store counts them (undefined: no known expiry). */
  remainingMs: number | undefined;
  /** Its whole lifetime when it was issued (undefined: no known expiry). */
  lifetimeMs: number | undefined;
}

/** A change another member of the fleet made to the shared token. */
export type SharedTokenChange =
  /** A new token was stored. */
  | { type: "stored" }
  /** A 401 rejected a token: `matches(token)` tells whether it was this one. */
  | { type: "invalidated"; matches(token: string): boolean };

/**
 * The fleet's access token: stored with its lifetime as TTL (the client secret never is), a lock that expires so
 * that one member at a time asks the token endpoint, and a fleet-wide invalidation after a 401.
 */
export interface SharedTokenStore {
  /** The fleet's current token, or undefined when there is none. */
  get(): Promise<SharedToken | undefined>;
  /** Tries to become the one member that requests the next token; true when this member holds the lock, which expires after `ttlMs`. */
  lock(ttlMs: number): Promise<boolean>;
  /** Gives the lock back, if this member still holds it. */
  unlock(): Promise<void>;
  /** Stores a token just issued, for `lifetimeMs` (undefined: no known expiry), and tells the fleet. */
  set(value: string, lifetimeMs: number | undefined): Promise<void>;
  /** A 401 rejected `value`: forgets it if it is still the shared one and tells the fleet, once. */
  invalidate(value: string): Promise<void>;
  /** Hears what the other members do to the shared token. */
  onChange(listener: (change: SharedTokenChange) => void): IDisposable;
}

/** Whether the coordinator's backend answers; while `down` the client works alone (local limiter, local token). */
export type CoordinatorState = { state: "up" } | { state: "down"; reason: string };

/** What the coordinator hands one client. */
export interface CoordinatorAttachment {
  /** Shared by the rate limiter (pauses, learned limits, the fleet-wide rate). */
  limits: LimitSharing;
  /** Shared by the token cache; undefined when the client has no OAuth client id. */
  tokens: SharedTokenStore | undefined;
  /** Hears every change of state (once per transition). */
  onState(listener: (state: CoordinatorState) => void): IDisposable;
  /** The client no longer uses it (e.g. its options were refused). */
  detach(): void;
}

/**
 * Shares tokens and rate-limit knowledge between clients, usually in several processes:
 * `createGenesysClient({ coordinator: createRedisCoordinator({ url }) })` (from `genesys-cloud-sdk/redis`).
 */
export interface Coordinator {
  /** Called once by each client created with this coordinator. */
  attach(client: CoordinatorClient): CoordinatorAttachment;
}
