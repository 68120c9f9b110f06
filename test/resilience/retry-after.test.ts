// The one Retry-After reader: header (delta-seconds, HTTP-date), the 429 body's "[N] seconds", the body's `limit`.
import { describe, expect, it } from "vitest";
import { bodyLimit, bodyRetrySeconds, keyWindowMs, retryAfterMs, retryAfterSeconds } from "../../src/resilience/retry-after.js";

const genesys429 = (seconds: number, limit?: unknown) => ({
  message: `Rate limit exceeded the maximum. Retry the request in [${seconds}] seconds`,
  code: "too.many.requests.retry.after",
  status: 429,
  ...(limit === undefined ? {} : { limit }),
});

describe("retry-after", () => {
  it("reads delta-seconds and HTTP-dates, nothing else", () => {
    expect(retryAfterSeconds("7")).toBe(7);
    expect(retryAfterSeconds(" 1.5 ")).toBe(1.5);
    expect(retryAfterSeconds(new Date(Date.UTC(2030, 0, 1, 0, 0, 30)).toUTCString(), Date.UTC(2030, 0, 1))).toBe(30);
    expect(retryAfterSeconds(new Date(Date.UTC(2020, 0, 1)).toUTCString(), Date.UTC(2030, 0, 1))).toBe(0); // in the past: now
    for (const bad of ["soon", "", "  ", "-3", null, undefined]) expect(retryAfterSeconds(bad)).toBeUndefined();
  });

  it("takes the header first, else the body message's [N] seconds", () => {
    expect(retryAfterMs(new Headers({ "retry-after": "2" }), genesys429(9))).toBe(2000);
    expect(retryAfterMs(new Headers(), genesys429(9))).toBe(9000);
    expect(retryAfterMs(new Headers(), { message: "Rate limit exceeded the maximum." })).toBeUndefined();
    expect(retryAfterMs(new Headers(), "not json")).toBeUndefined();
    expect(bodyRetrySeconds(genesys429(60))).toBe(60);
  });

  it("reads the body's limit when well formed", () => {
    expect(bodyLimit(genesys429(3, { key: "user.rate.per.minute", namespace: "directory", value: 180 }))).toEqual({
      key: "user.rate.per.minute",
      namespace: "directory",
      value: 180,
    });
    expect(bodyLimit(genesys429(3, { key: "token.rate.per.minute", value: 300 }))).toEqual({ key: "token.rate.per.minute", namespace: undefined, value: 300 });
    for (const bad of [undefined, null, "x", { key: "", value: 3 }, { key: "a", value: 0 }, { key: "a", value: "300" }])
      expect(bodyLimit(genesys429(1, bad))).toBeUndefined();
    expect(bodyLimit(null)).toBeUndefined();
  });

  it("knows the window of a key from its unit", () => {
    expect(keyWindowMs("token.rate.per.minute")).toBe(60_000);
    expect(keyWindowMs("x.per.second")).toBe(1_000);
    expect(keyWindowMs("x.per.day")).toBe(86_400_000);
    expect(keyWindowMs("max.concurrent")).toBeUndefined();
  });
});
