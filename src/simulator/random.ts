// A small seeded random generator (mulberry32): the same seed gives the same fault and latency sequence.

export interface Random {
  /** Uniform in [0, 1). */
  next(): number;
  reseed(seed: number): void;
}

export function seededRandom(seed: number): Random {
  let state = seed >>> 0;
  return {
    next() {
      state = (state + 0x6d2b79f5) >>> 0;
      let t = state;
      t = Math.imul(t ^ (t >>> 15), t | 1);
      t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
      return ((t ^ (t >>> 14)) >>> 0) / 4_294_967_296;
    },
    reseed(next: number) {
      state = next >>> 0;
    },
  };
}
