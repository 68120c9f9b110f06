// The one option validator of the SDK: every numeric or boolean option is checked here, so a bad value always
// fails the same way — a ConfigurationError naming the option, the rule and the value, before anything is sent.
import { ConfigurationError } from "./errors.js";

export interface NumberRule {
  ok(value: number): boolean;
  /** What the value must be, e.g. "an integer ≥ 1". */
  text: string;
}

export const INTEGER_AT_LEAST_1: NumberRule = { ok: (v) => Number.isInteger(v) && v >= 1, text: "an integer ≥ 1" };
export const INTEGER_AT_LEAST_0_OR_INFINITY: NumberRule = { ok: (v) => v === Infinity || (Number.isInteger(v) && v >= 0), text: "an integer ≥ 0 or Infinity" };
export const MS_AT_LEAST_0: NumberRule = { ok: (v) => v >= 0 && v !== Infinity, text: "a number of ms ≥ 0" };
export const MS_ABOVE_0: NumberRule = { ok: (v) => v > 0 && v !== Infinity, text: "a number of ms > 0" };
export const ABOVE_0: NumberRule = { ok: (v) => v > 0 && v !== Infinity, text: "a number > 0" };
export const SHARE: NumberRule = { ok: (v) => v > 0 && v < 1, text: "a number between 0 and 1 (exclusive)" };

/** Shows a rejected value without quoting more than a few characters of it (it may be something secret). */
export const show = (v: unknown): string => {
  if (typeof v === "string") return JSON.stringify(v.length > 40 ? `${v.slice(0, 40)}…` : v);
  if (typeof v === "function") return "a function";
  if (v !== null && typeof v === "object") return Array.isArray(v) ? "an array" : "an object";
  return String(v);
};

/** Throws unless `value` is undefined (the default applies) or a number that passes `rule`. */
export function checkNumber(name: string, value: unknown, rule: NumberRule): void {
  if (value === undefined) return;
  if (typeof value !== "number" || Number.isNaN(value) || !rule.ok(value)) {
    throw new ConfigurationError(`${name} must be ${rule.text} (got ${show(value)})`);
  }
}

export function checkBoolean(name: string, value: unknown): void {
  if (value !== undefined && typeof value !== "boolean") throw new ConfigurationError(`${name} must be a boolean (got ${show(value)})`);
}

export function checkFunction(name: string, value: unknown, what: string): void {
  if (value !== undefined && typeof value !== "function") throw new ConfigurationError(`${name} must be a function (${what}), got ${show(value)}`);
}

/** An options object: undefined, `false` (the feature off) or an object. */
export function checkSection<T extends object>(name: string, value: T | false | undefined): T | false | undefined {
  if (value === undefined || value === false) return value;
  if (typeof value !== "object" || value === null) throw new ConfigurationError(`${name} must be an object or false (got ${show(value)})`);
  return value;
}

/** `value` without its undefined entries, so spreading it over defaults keeps them. */
export function definedOnly<T extends object>(value: T | undefined): Partial<T> {
  return Object.fromEntries(Object.entries(value ?? {}).filter(([, v]) => v !== undefined)) as Partial<T>;
}

export function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}
