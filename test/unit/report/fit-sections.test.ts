import { describe, expect, it } from 'vitest';
import { fitSections, joinSections } from '../../../src/report/fit-sections.js';

const sections = [
  { id: 'header', markdown: 'H'.repeat(10) },
  { id: 'table', markdown: 'T'.repeat(10) },
  { id: 'chart', markdown: 'C'.repeat(10) },
  { id: 'raw', markdown: 'R'.repeat(10) },
] as const;
const dropOrder = ['raw', 'chart', 'table'] as const;

describe('fitSections', () => {
  it('keeps everything when it fits', () => {
    const fitted = fitSections(sections, dropOrder, 100);
    expect(fitted).toEqual({ markdown: joinSections(sections), dropped: [], fits: true });
    expect(fitted.markdown).toBe('HHHHHHHHHH\n\nTTTTTTTTTT\n\nCCCCCCCCCC\n\nRRRRRRRRRR\n');
  });

  it('drops in the given order and stops as soon as it fits', () => {
    // 4 sections = 47 chars, 3 = 35, 2 = 23, 1 = 11.
    expect(fitSections(sections, dropOrder, 35)).toMatchObject({ dropped: ['raw'], fits: true });
    expect(fitSections(sections, dropOrder, 34)).toMatchObject({ dropped: ['raw', 'chart'], fits: true });
    const fitted = fitSections(sections, dropOrder, 11);
    expect(fitted).toEqual({ markdown: 'HHHHHHHHHH\n', dropped: ['raw', 'chart', 'table'], fits: true });
  });

  it('never drops a section outside the drop order, and says when that is not enough', () => {
    expect(fitSections(sections, dropOrder, 5)).toEqual({
      markdown: 'HHHHHHHHHH\n',
      dropped: ['raw', 'chart', 'table'],
      fits: false,
    });
  });

  it('skips ids that are not present', () => {
    const fitted = fitSections(sections.slice(0, 2), dropOrder, 11);
    expect(fitted.dropped).toEqual(['table']);
  });
});
