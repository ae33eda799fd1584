import { describe, expect, it } from 'vitest';
import { createRng, deriveSeed, nextInt } from '../../src/rng.js';

function draw(seed: number, count: number): number[] {
  const rng = createRng(seed);
  return Array.from({ length: count }, () => rng.next());
}

describe('createRng (mulberry32)', () => {
  it('gives the same stream for the same seed and a different one for another seed', () => {
    expect(draw(123, 50)).toEqual(draw(123, 50));
    expect(draw(123, 50)).not.toEqual(draw(124, 50));
  });

  it('stays in [0, 1) and is roughly uniform', () => {
    const values = draw(99, 20_000);
    expect(Math.min(...values)).toBeGreaterThanOrEqual(0);
    expect(Math.max(...values)).toBeLessThan(1);
    const mean = values.reduce((a, b) => a + b, 0) / values.length;
    expect(mean).toBeGreaterThan(0.49);
    expect(mean).toBeLessThan(0.51);
    const deciles = new Array<number>(10).fill(0);
    for (const value of values) deciles[Math.floor(value * 10)] = (deciles[Math.floor(value * 10)] ?? 0) + 1;
    for (const count of deciles) expect(Math.abs(count - 2000)).toBeLessThan(200);
  });

  it('nextInt covers [0, n) only', () => {
    const rng = createRng(5);
    const seen = new Set(Array.from({ length: 500 }, () => nextInt(rng, 7)));
    expect([...seen].sort()).toEqual([0, 1, 2, 3, 4, 5, 6]);
  });
});

describe('deriveSeed', () => {
  it('is deterministic, depends on both seed and label, and is a 32-bit unsigned integer', () => {
    expect(deriveSeed(1, '32x8')).toBe(deriveSeed(1, '32x8'));
    expect(deriveSeed(1, '32x8')).not.toBe(deriveSeed(2, '32x8'));
    expect(deriveSeed(1, '32x8')).not.toBe(deriveSeed(1, '8x32'));
    const seed = deriveSeed(0xffffffff, 'x');
    expect(Number.isInteger(seed) && seed >= 0 && seed < 2 ** 32).toBe(true);
  });
});
