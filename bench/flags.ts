// Numeric command-line flags of the bench scripts: a bad value stops the script with a message naming the flag,
// instead of running with NaN.

export interface NumberFlagRule {
  /** Smallest allowed value. @default 0 */
  min?: number;
  /** Whole numbers only. @default true */
  integer?: boolean;
}

/** `--name`'s value as a number; throws naming the flag when it is missing, not a number or out of range. */
export function numberFlag(name: string, value: string | undefined, { min = 0, integer = true }: NumberFlagRule = {}): number {
  const n = value === undefined || value.trim() === "" ? Number.NaN : Number(value);
  if (!Number.isFinite(n) || n < min || (integer && !Number.isInteger(n))) {
    throw new Error(`--${name} must be ${integer ? "an integer" : "a number"} ≥ ${min} (got ${JSON.stringify(value ?? null)})`);
  }
  return n;
}
