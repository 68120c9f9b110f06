// What every benchmarked client provides: one "get a user" call, as a user of that client would write it.

export interface BenchTarget {
  /** Simulator origin, `http://127.0.0.1:<port>`. */
  url: string;
  /** A token issued by the simulator, for clients that take a token rather than client credentials. */
  token: string;
  userIds: readonly string[];
  /** The limit as documented (for clients configured up front, e.g. Bottleneck): `count` per `windowMs`, or `count` per second when no window. */
  documented?: { count: number; windowMs?: number };
}

export interface ClientRun {
  /** `GET /api/v2/users/{userId}` for call number `i`; true on success. Never throws. */
  call(i: number): Promise<boolean>;
  /** Retries the client says it made (undefined when it cannot tell). */
  retries(): number | undefined;
  /** Notes on how the client was set up (e.g. how the official SDK was pointed at the simulator). */
  notes?: string[];
  close?(): void | Promise<void>;
}

export interface BenchClient {
  /** Stable key for results and colours. */
  id: string;
  /** Name in tables and the chart legend. */
  label: string;
  create(target: BenchTarget): Promise<ClientRun>;
}

export const userIdFor = (target: BenchTarget, i: number): string => target.userIds[i % target.userIds.length];
