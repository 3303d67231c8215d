/**
 * A small seeded PRNG for the fuzz tests. Math.random cannot be seeded, and a failing fuzz case is
 * only useful if the same seed regenerates the same bytes on any machine, so every random choice
 * here goes through mulberry32 (32-bit state, plenty for test input generation).
 */
export interface Random {
  /** A float in [0, 1). */
  next(): number;
  /** An integer in [min, max], both inclusive. */
  int(min: number, max: number): number;
  /** True with probability `p`. */
  chance(p: number): boolean;
  pick<T>(items: readonly T[]): T;
  bytes(length: number): Uint8Array;
}

export function mulberry32(seed: number): Random {
  let state = seed >>> 0;
  const next = () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  const int = (min: number, max: number) => min + Math.floor(next() * (max - min + 1));
  return {
    next,
    int,
    chance: (p) => next() < p,
    pick: (items) => {
      if (items.length === 0) throw new RangeError('pick from an empty list');
      return items[int(0, items.length - 1)]!;
    },
    bytes: (length) => {
      const out = new Uint8Array(length);
      for (let i = 0; i < length; i++) out[i] = int(0, 255);
      return out;
    },
  };
}

/**
 * Derives an independent seed for one case from the run seed and a label, so any single case can be
 * regenerated on its own (FNV-1a over the label, mixed with the run seed).
 */
export function deriveSeed(runSeed: number, label: string): number {
  let hash = 0x811c9dc5 ^ runSeed;
  for (let i = 0; i < label.length; i++) {
    hash ^= label.charCodeAt(i);
    hash = Math.imul(hash, 0x01000193);
  }
  return hash >>> 0;
}

/** The run seed: `FUZZ_SEED` (decimal or 0x hex) when set, else the fixed default. */
export function runSeed(fallback: number): number {
  const text = process.env.FUZZ_SEED?.trim();
  if (!text) return fallback;
  const value = Number(text);
  if (!Number.isInteger(value) || value < 0)
    throw new Error(`FUZZ_SEED must be a non-negative integer: ${text}`);
  return value >>> 0;
}
