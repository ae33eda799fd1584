import { describe, expect, it } from 'vitest';
import { formatNumber, NO_VALUE, type NumberKind } from '../../src/format-number.js';

describe('formatNumber', () => {
  it.each<[number | undefined, NumberKind, string]>([
    [1111.2, 'dps', '1,111'],
    [222.49, 'dps', '222'],
    [45.67, 'dps', '45.7'],
    [3.456, 'dps', '3.46'],
    [0.01234, 'dps', '0.01'],
    [0, 'dps', '0'],
    [1234567.8, 'dps', '1,234,568'],
    [0.5123, 'ms', '0.512'],
    [5.126, 'ms', '5.13'],
    [51.26, 'ms', '51.3'],
    [5126.4, 'ms', '5,126'],
    [1234.5, 'us', '1,235'],
    [480, 'count', '480'],
    [7.94, 'batch', '7.9'],
    [0.1317, 'percent', '13.2%'],
    [0.5, 'percent', '50.0%'],
    [12.345, 'percent', '1,234.5%'],
    [0.9, 'level', '90%'],
    [0.996, 'level', '99.6%'],
    [0.02, 'level', '2%'],
    [-0.124, 'delta', '−12.4%'],
    [0.063, 'delta', '+6.3%'],
    [-0.0004, 'delta', '0.0%'],
    [0.0004, 'delta', '0.0%'],
    [0.0004, 'pvalue', '<0.001'],
    [0.01634, 'pvalue', '0.016'],
    [0.5, 'pvalue', '0.500'],
    [0.0034, 'pvalue', '0.003'],
    [1, 'pvalue', '1.00'],
    [1.5 * 1024 ** 3, 'gib', '1.50'],
    [2048 * 1024 ** 3, 'gib', '2,048.00'],
    [1087.4, 'chart', '1087'],
    [-12.34, 'chart', '-12.3'],
  ])('%d as %s → %s', (value, kind, expected) => {
    expect(formatNumber(value, kind)).toBe(expected);
  });

  it('never prints a negative zero', () => {
    expect(formatNumber(-0.0001, 'dps')).toBe('0.00');
    expect(formatNumber(-0, 'count')).toBe('0');
  });

  it.each([undefined, Number.NaN, Number.POSITIVE_INFINITY])('shows %s as a dash', (value) => {
    expect(formatNumber(value, 'dps')).toBe(NO_VALUE);
  });

  it('gives Mermaid plain decimals it can parse', () => {
    for (const value of [0.001, 12.5, 999.99, 123456.7, -3.2]) {
      expect(formatNumber(value, 'chart')).toMatch(/^[+-]?(?:\d+(?:\.\d+)?|\.\d+)$/);
    }
  });
});
