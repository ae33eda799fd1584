/**
 * Seeded pseudo-random numbers for pure code: statistics, cell order, random input data
 * (docs/architecture.md#pure-cores-and-io-edges: pure code never calls `Math.random`). The same seed always gives the same stream, so a comparison — bootstrap
 * intervals included — is reproducible from the seed stored with it.
 */

/** A stream of uniform numbers in `[0, 1)`. Stateful: each call advances the stream. */
export interface Rng {
  /** Next uniform number in `[0, 1)` (32 bits of resolution). */
  next(): number;
}

/**
 * mulberry32 (Tommy Ettinger, public domain): a small, widely used generator whose quality is
 * ample for the short streams we draw (a few hundred thousand numbers per comparison; its period
 * is 2^32). Chosen over xorshift128+ because its whole state is one 32-bit integer, which
 * JavaScript handles exactly with `Math.imul` and `>>> 0` (no BigInt, no precision traps).
 *
 * @param seed any integer; only its low 32 bits are used.
 */
export function createRng(seed: number): Rng {
  let state = seed >>> 0;
  return {
    next(): number {
      state = (state + 0x6d2b79f5) >>> 0;
      let t = state;
      t = Math.imul(t ^ (t >>> 15), t | 1);
      t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
      return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
    },
  };
}

/**
 * A uniform integer in `[0, n)`.
 *
 * @param n exclusive upper bound, an integer >= 1.
 */
export function nextInt(rng: Rng, n: number): number {
  return Math.floor(rng.next() * n);
}

/**
 * A seed for an independent sub-stream named `label` (e.g. a cell key `"32x8"`), so a cell's
 * bootstrap does not depend on how many cells came before it: reordering cells or adding one
 * leaves every other cell's interval unchanged.
 *
 * FNV-1a over the label's UTF-16 code units, mixed with the parent seed by a murmur3 finaliser.
 */
export function deriveSeed(seed: number, label: string): number {
  let hash = 0x811c9dc5 ^ (seed >>> 0);
  for (let i = 0; i < label.length; i++) {
    hash ^= label.charCodeAt(i);
    hash = Math.imul(hash, 0x01000193);
  }
  hash ^= hash >>> 16;
  hash = Math.imul(hash, 0x85ebca6b);
  hash ^= hash >>> 13;
  hash = Math.imul(hash, 0xc2b2ae35);
  hash ^= hash >>> 16;
  return hash >>> 0;
}
