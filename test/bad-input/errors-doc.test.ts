/**
 * docs/errors.md is the rendering of the case tables (render-errors-doc.ts): it cannot list a
 * case that is not tried, or miss one that is.
 */
import { describe, expect, it } from 'vitest';
import { CASE_TABLES, renderErrorsDoc } from './render-errors-doc.js';

describe('docs/errors.md', () => {
  it('is the rendering of the bad-input case tables', async () => {
    await expect(renderErrorsDoc()).toMatchFileSnapshot('../../docs/errors.md');
  });

  it('lists at least 30 distinct bad inputs', () => {
    const keys = CASE_TABLES.flatMap(({ channel, cases }) => cases.map((c) => `${channel}: ${c.name}`));
    expect(new Set(keys).size).toBe(keys.length);
    expect(keys.length).toBeGreaterThanOrEqual(30);
  });
});
